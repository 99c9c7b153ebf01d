import type { ArgumentKind, ScalarKind } from "../parser/argument.js";
import { type CountArg, isCountArg } from "./count.js";

/** A zod schema as seen without importing zod (we only read its definition and call safeParse). */
export interface SchemaLike {
  readonly _zod: { readonly def: SchemaDef };
  readonly description?: string | undefined;
  safeParse(value: unknown): { success: boolean; data?: unknown; error?: { issues: readonly IssueLike[] } };
}

interface SchemaDef {
  readonly type: string;
  readonly innerType?: SchemaLike;
  readonly in?: SchemaLike;
  readonly element?: SchemaLike;
  readonly entries?: Record<string, string | number>;
  readonly values?: readonly unknown[];
  readonly defaultValue?: unknown;
  readonly format?: string;
  readonly checks?: readonly { _zod?: { def?: { format?: string } } }[];
}

interface IssueLike {
  readonly message: string;
  readonly path?: readonly PropertyKey[];
}

/** What the CLI needs to know about one task argument, read from its schema. */
export interface ArgSpec {
  readonly key: string;
  readonly kind: ArgumentKind;
  readonly itemKind: ScalarKind;
  /** The schema supplies a value when none is given (`.default()`, `.optional()`, counters). */
  readonly hasDefault: boolean;
  readonly defaultValue: unknown;
  readonly description: string | undefined;
  readonly choices: readonly string[] | undefined;
  /** Whether the schema accepts "absent" (so the CLI must not demand it). */
  readonly optional: boolean;
}

const WRAPPERS = new Set(["default", "prefault", "optional", "nullable", "readonly", "catch", "nonoptional"]);

export function isSchemaLike(value: unknown): value is SchemaLike {
  return typeof value === "object" && value !== null && "_zod" in value && "safeParse" in value;
}

/** Read kind, default, help and choices from a zod schema (or a `count()` marker). */
export function describeArg(key: string, schema: SchemaLike | CountArg): ArgSpec {
  if (isCountArg(schema)) {
    return {
      key,
      kind: "count",
      itemKind: "int",
      hasDefault: true,
      defaultValue: schema.default,
      description: schema.description,
      choices: undefined,
      optional: true,
    };
  }
  let node: SchemaLike = schema;
  let description = schema.description;
  let hasDefault = false;
  let defaultValue: unknown;
  let optional = false;
  for (;;) {
    const def = node._zod.def;
    description ??= node.description;
    if (def.type === "default" || def.type === "prefault") {
      if (!hasDefault) defaultValue = def.defaultValue;
      hasDefault = true;
      optional = true;
    } else if (def.type === "optional") {
      optional = true;
    }
    if (WRAPPERS.has(def.type) && def.innerType) node = def.innerType;
    else if (def.type === "pipe" && def.in) node = def.in;
    else break;
  }
  description ??= node.description;
  const base = baseKind(node);
  return {
    key,
    kind: base.kind,
    itemKind: base.itemKind,
    hasDefault,
    defaultValue,
    description,
    choices: base.choices,
    optional,
  };
}

function baseKind(node: SchemaLike): {
  kind: ArgumentKind;
  itemKind: ScalarKind;
  choices?: readonly string[];
} {
  const def = node._zod.def;
  switch (def.type) {
    case "boolean":
      return { kind: "bool", itemKind: "string" };
    case "number":
    case "int":
    case "bigint":
      return { kind: isInteger(node) ? "int" : "float", itemKind: "string" };
    case "enum":
      return { kind: "string", itemKind: "string", choices: Object.values(def.entries ?? {}).map(String) };
    case "literal":
      return { kind: "string", itemKind: "string", choices: (def.values ?? []).map(String) };
    case "array":
    case "set": {
      const element = def.element ? baseKind(unwrap(def.element)) : undefined;
      const itemKind: ScalarKind =
        element?.kind === "int" || element?.kind === "float" ? element.kind : "string";
      return { kind: "list", itemKind, ...(element?.choices ? { choices: element.choices } : {}) };
    }
    default:
      return { kind: "string", itemKind: "string" };
  }
}

function unwrap(node: SchemaLike): SchemaLike {
  let current = node;
  for (;;) {
    const def = current._zod.def;
    if (WRAPPERS.has(def.type) && def.innerType) current = def.innerType;
    else if (def.type === "pipe" && def.in) current = def.in;
    else return current;
  }
}

function isInteger(node: SchemaLike): boolean {
  const def = node._zod.def;
  if (def.type === "bigint") return true;
  if (def.format === "safeint" || def.format === "int32" || def.format === "uint32") return true;
  if ((node as { isInt?: boolean }).isInt === true) return true;
  return (def.checks ?? []).some((check) => {
    const format = check._zod?.def?.format;
    return format === "safeint" || format === "int32" || format === "uint32";
  });
}

/** One readable line from zod issues. */
export function issueText(issues: readonly IssueLike[]): string {
  return issues.map((issue) => issue.message).join("; ");
}
