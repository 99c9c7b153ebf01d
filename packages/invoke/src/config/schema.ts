import type { ZodObject, ZodType, z as zNamespace } from "zod";
import { loadZod } from "./lazy-modules.js";
import type { RunConfig } from "./types.js";

/** The `z` namespace handed to schema builders (loaded lazily, see lazy-modules.ts). */
export type Z = typeof zNamespace;

/** Known top-level keys and the schema of each; anything else at the top level is a user namespace. */
export type ConfigSchemaSections = Record<string, ZodType>;

/**
 * Zod schemas for Invoke's known sections. Every key is optional (a layer sets only what it wants)
 * and sections are strict, so a misspelt key inside `run:` is reported instead of ignored.
 */
export function invokeSchemaSections(z: Z) {
  const writable = z
    .custom<NodeJS.WritableStream>((v) => typeof (v as { write?: unknown } | null)?.write === "function")
    .describe("a writable stream");
  const readable = z
    .custom<NodeJS.ReadableStream>((v) => typeof (v as { read?: unknown } | null)?.read === "function")
    .describe("a readable stream");
  const watcher = z
    .custom<object>((v) => typeof (v as { submit?: unknown } | null)?.submit === "function")
    .describe("a watcher (an object with submit())");
  const encoding = z
    .string()
    .refine((v) => Buffer.isEncoding(v), { message: "expected a Node.js buffer encoding (utf8, latin1, …)" });
  return {
    run: z
      .strictObject({
        asynchronous: z.boolean(),
        disown: z.boolean(),
        dry: z.boolean(),
        echo: z.boolean(),
        echoFormat: z.string(),
        echoStdin: z.boolean().nullable(),
        encoding: encoding.nullable(),
        env: z.record(z.string(), z.union([z.string(), z.number(), z.boolean()]).transform(String)),
        errStream: writable.nullable(),
        outStream: writable.nullable(),
        inStream: z.union([readable, z.literal(false), z.null()]),
        fallback: z.boolean(),
        hide: z.union([z.boolean(), z.null(), z.enum(["out", "stdout", "err", "stderr", "both"])]),
        pty: z.boolean(),
        replaceEnv: z.boolean(),
        shell: z.string().min(1),
        warn: z.boolean(),
        watchers: z.array(watcher),
        captureLimit: z.number().int().positive().nullable(),
      } satisfies Record<keyof RunConfig, ZodType>)
      .partial(),
    sudo: z
      .strictObject({
        password: z.string().nullable(),
        prompt: z.string(),
        user: z.string().min(1).nullable(),
        shell: z.string().min(1).nullable(),
      })
      .partial(),
    runners: z
      .strictObject({
        local: z
          .custom<object>((v) => typeof v === "function")
          .describe("a runner class")
          .nullable(),
      })
      .partial(),
    tasks: z
      .strictObject({
        autoDashNames: z.boolean(),
        collectionName: z.string().min(1),
        dedupe: z.boolean(),
        executorClass: z.string().nullable(),
        ignoreUnknownHelp: z.boolean(),
        searchRoot: z.string().nullable(),
      })
      .partial(),
    timeouts: z.strictObject({ command: z.number().positive().nullable() }).partial(),
  };
}

export type InvokeSchemaSections = ReturnType<typeof invokeSchemaSections>;

/** The whole-tree schema: known sections validated, unknown top-level keys passed through. */
export function buildConfigSchema(sections: ConfigSchemaSections): ZodObject {
  const { z } = loadZod();
  const shape: Record<string, ZodType> = {};
  for (const [key, schema] of Object.entries(sections)) shape[key] = schema.optional();
  return z.looseObject(shape);
}

// --- introspection -------------------------------------------------------------------------------
// Just enough of zod's definition objects to walk a schema and describe what it expects.

interface SchemaDef {
  type: string;
  innerType?: ZodType;
  in?: ZodType;
  shape?: Record<string, ZodType>;
  catchall?: ZodType;
  valueType?: ZodType;
  element?: ZodType;
  options?: ZodType[];
  entries?: Record<string, string | number>;
  values?: unknown[];
}

function defOf(schema: ZodType): SchemaDef {
  return (schema as unknown as { _zod: { def: SchemaDef } })._zod.def;
}

const WRAPPERS = new Set(["optional", "nullable", "default", "prefault", "nonoptional", "readonly", "catch"]);

/** Strips optional/default/readonly… wrappers (but reports whether null is allowed). */
function unwrap(schema: ZodType): { core: ZodType; nullable: boolean } {
  let core = schema;
  let nullable = false;
  for (;;) {
    const def = defOf(core);
    if (def.type === "nullable") nullable = true;
    if (WRAPPERS.has(def.type) && def.innerType) core = def.innerType;
    else if (def.type === "pipe" && def.in) core = def.in;
    else return { core, nullable };
  }
}

/** The object shape of a schema (through wrappers), if it is an object schema. */
export function shapeOf(schema: ZodType): { shape: Record<string, ZodType>; strict: boolean } | undefined {
  const def = defOf(unwrap(schema).core);
  if (def.type !== "object" || !def.shape) return undefined;
  const catchall = def.catchall ? defOf(def.catchall).type : undefined;
  return { shape: def.shape, strict: catchall === "never" };
}

/** The schema governing `path` inside `root`, or undefined where the tree is free-form. */
export function schemaAt(root: ZodType, path: readonly PropertyKey[]): ZodType | undefined {
  let node: ZodType | undefined = root;
  for (const part of path) {
    if (!node) return undefined;
    const { core } = unwrap(node);
    const def = defOf(core);
    if (def.type === "object") node = def.shape?.[String(part)] ?? undefined;
    else if (def.type === "record") node = def.valueType;
    else if (def.type === "array") node = def.element;
    else return undefined;
  }
  return node;
}

/** Human wording of what a schema accepts: `boolean`, `number or null`, `one of "out", "err"`. */
export function describeSchema(schema: ZodType): string {
  const { core, nullable } = unwrap(schema);
  const own = (core as { description?: string }).description;
  const def = defOf(core);
  let text: string;
  if (own) text = own;
  else if (def.type === "union" && def.options)
    text = joinOr(def.options.map((option) => describeSchema(option)));
  else if (def.type === "enum" && def.entries)
    text = `one of ${Object.values(def.entries).map(quote).join(", ")}`;
  else if (def.type === "literal" && def.values) text = joinOr(def.values.map(quote));
  else if (def.type === "object" || def.type === "record") text = "a mapping";
  else if (def.type === "array") text = "a list";
  else text = def.type;
  return nullable ? `${text} or null` : text;
}

function quote(value: unknown): string {
  return typeof value === "string" ? JSON.stringify(value) : String(value);
}

function joinOr(parts: string[]): string {
  const unique = [...new Set(parts)];
  if (unique.length <= 1) return unique[0] ?? "nothing";
  return `${unique.slice(0, -1).join(", ")} or ${unique.at(-1)}`;
}
