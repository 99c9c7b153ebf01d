import type { ZodObject, ZodType } from "zod";
import { schemaAt } from "./schema.js";
import { camelCase } from "./tree.js";

/**
 * What a Config class knows about its keys: its defaults (which name the known sections) and the
 * schema checking them. `schema` is read only when a value needs checking, since building it loads zod.
 */
export interface KnownKeys {
  readonly schema: ZodObject;
  globalDefaults(): object;
}

/** Whether `top` (or its camelCase form) names a section of the class's defaults. */
export function isKnownSection(known: KnownKeys, top: string): boolean {
  const defaults = known.globalDefaults();
  return Object.hasOwn(defaults, top) || Object.hasOwn(defaults, camelCase(top));
}

/** The schema for a key path when its section is known (loads zod); undefined for user keys. */
export function knownSchemaAt(known: KnownKeys, keyPath: readonly string[]): ZodType | undefined {
  if (!Object.hasOwn(known.globalDefaults(), keyPath[0]!)) return undefined;
  return schemaAt(known.schema, keyPath);
}

/**
 * Whether `value` replaces `existing` with the same simple type, needing no schema check (and so no
 * zod at start-up): a boolean, or a non-empty string. Numbers are always checked (ranges).
 */
export function keepsSimpleType(existing: unknown, value: unknown): boolean {
  if (typeof value === "boolean") return typeof existing === "boolean";
  if (typeof value === "string") return typeof existing === "string" && value !== "";
  return false;
}
