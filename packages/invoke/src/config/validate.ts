import type { ZodObject, ZodType } from "zod";
import { ConfigError, type ConfigErrorCode, type ConfigIssue } from "../errors.js";
import { describeSchema, schemaAt, shapeOf } from "./schema.js";
import { isSecretPath } from "./secrets.js";
import { closestMatch } from "./suggest.js";
import { type ConfigTree, camelCase, isPlainObject } from "./tree.js";

/** Where a layer came from: `source` prefixes messages; `file` is set when it is a file. */
export interface LayerOrigin {
  source: string;
  file?: string | undefined;
}

interface Problem {
  code: ConfigErrorCode;
  path: PropertyKey[];
  message: string;
}

/**
 * Renames snake_case spellings of known keys to their camelCase names (`replace_env` →
 * `replaceEnv`, `connect_kwargs.key_filename` → `connectKwargs.keyFilename`), following the schema.
 * Keys the schema does not know (user namespaces, `run.env` entries) are kept exactly as written.
 */
export function normaliseKeys(data: ConfigTree, schema: ZodType, origin: LayerOrigin): ConfigTree {
  return normaliseNode(data, schema, [], origin);
}

function normaliseNode(data: ConfigTree, schema: ZodType, path: string[], origin: LayerOrigin): ConfigTree {
  const known = shapeOf(schema)?.shape;
  if (!known) return data;
  const out: ConfigTree = {};
  for (const [key, value] of Object.entries(data)) {
    const camel = camelCase(key);
    const name = !Object.hasOwn(known, key) && Object.hasOwn(known, camel) ? camel : key;
    if (Object.hasOwn(out, name)) {
      const keyPath = [...path, name].join(".");
      throw new ConfigError(`${origin.source}: ${keyPath}: given twice (as '${name}' and as '${key}')`, {
        code: "KEY_CONFLICT",
        ...origin,
        keyPath,
      });
    }
    const child = Object.hasOwn(known, name) ? known[name] : undefined;
    out[name] = child && isPlainObject(value) ? normaliseNode(value, child, [...path, name], origin) : value;
  }
  return out;
}

/**
 * Normalises and validates one layer. Returns the parsed layer (zod's output, so e.g. numeric
 * `run.env` values become strings). Throws a ConfigError listing every problem, each as
 * `<source>: <key.path>: expected …, got …`; secret values are never echoed.
 */
export function validateLayer(data: ConfigTree, schema: ZodObject, origin: LayerOrigin): ConfigTree {
  const normalised = normaliseKeys(data, schema, origin);
  const problems = sectionTypos(normalised, schema);
  const result = schema.safeParse(normalised);
  if (result.success && problems.length === 0) return result.data as ConfigTree;
  if (!result.success) {
    for (const issue of result.error.issues) problems.push(...describeIssue(issue, schema, normalised));
  }
  const issues: ConfigIssue[] = problems.map((p) => ({ keyPath: p.path.join("."), message: p.message }));
  const lines = issues.map(
    (i) => `${origin.source}: ${i.keyPath === "" ? "" : `${i.keyPath}: `}${i.message}`,
  );
  throw new ConfigError(lines.join("\n"), { code: problems[0]!.code, ...origin, issues });
}

/** A top-level mapping whose name is a near miss of a known section is a typo, not a user namespace. */
function sectionTypos(data: ConfigTree, schema: ZodObject): Problem[] {
  const known = shapeOf(schema)?.shape ?? {};
  const objectSections = Object.keys(known).filter((key) => shapeOf(known[key]!) !== undefined);
  const problems: Problem[] = [];
  for (const [key, value] of Object.entries(data)) {
    if (Object.hasOwn(known, key) || !isPlainObject(value)) continue;
    const match = closestMatch(key, objectSections);
    if (match !== undefined) {
      problems.push({
        code: "UNKNOWN_SECTION",
        path: [key],
        message: `unknown section; did you mean '${match}'?`,
      });
    }
  }
  return problems;
}

interface IssueLike {
  code: string;
  path: PropertyKey[];
  message: string;
  keys?: string[];
}

function describeIssue(issue: IssueLike, root: ZodType, data: ConfigTree): Problem[] {
  if (issue.code === "unrecognized_keys") {
    const known = Object.keys(shapeOf(schemaAt(root, issue.path) ?? root)?.shape ?? {});
    return (issue.keys ?? []).map((key) => {
      const match = closestMatch(key, known);
      const hint = match === undefined ? `known keys: ${known.join(", ")}` : `did you mean '${match}'?`;
      return { code: "UNKNOWN_KEY", path: [...issue.path, key], message: `unknown key; ${hint}` };
    });
  }
  const got = describeValue(valueAt(data, issue.path), isSecretPath(issue.path));
  const schema = schemaAt(root, issue.path);
  let expected: string;
  if (issue.code === "too_small" || issue.code === "too_big") {
    expected = issue.message.replace(/^Too (small|big):\s*/, "");
  } else if (issue.code === "custom" && !/^Invalid input/.test(issue.message)) {
    expected = issue.message;
  } else {
    expected = `expected ${schema ? describeSchema(schema) : "a valid value"}`;
  }
  return [{ code: "INVALID_VALUE", path: issue.path, message: `${expected}, got ${got}` }];
}

function valueAt(data: unknown, path: readonly PropertyKey[]): unknown {
  let node = data;
  for (const part of path) {
    if (node === null || typeof node !== "object") return undefined;
    node = (node as Record<PropertyKey, unknown>)[part];
  }
  return node;
}

/** `string "yes"`, `number 3`, `a list`… (only the type for secrets). */
export function describeValue(value: unknown, secret = false): string {
  if (value === null) return "null";
  if (value === undefined) return "nothing";
  if (Array.isArray(value)) return "a list";
  if (isPlainObject(value)) return "a mapping";
  const type = typeof value;
  if (type === "object") return `an object (${(value as object).constructor?.name ?? "unknown"})`;
  if (type === "function") return "a function";
  if (secret) return `${type} (hidden)`;
  if (type === "string") {
    const text = value as string;
    return `string ${JSON.stringify(text.length > 60 ? `${text.slice(0, 57)}...` : text)}`;
  }
  return `${type} ${String(value)}`;
}
