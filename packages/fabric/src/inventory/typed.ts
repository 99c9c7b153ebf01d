/**
 * A typed inventory written in TypeScript (`inventory.ts`): the same shape as a YAML inventory,
 * with a schema (zod, or anything with `safeParse`) every host's merged vars must satisfy.
 * @example
 * import { defineInventory } from "@fabric-ts/fabric/inventory";
 * import { z } from "zod";
 * export default defineInventory({
 *   vars: z.object({ app_port: z.number().int(), release: z.string().default("main") }),
 *   groups: {
 *     all: { vars: { app_port: 8080 } },
 *     web: { hosts: { "web[1:3]": { ansible_user: "deploy" } } },
 *   },
 * });
 */
export interface InventoryGroupDefinition {
  hosts?: Record<string, Record<string, unknown> | null>;
  vars?: Record<string, unknown>;
  children?: Record<string, InventoryGroupDefinition | null>;
}

/** What a vars schema must offer: zod's `safeParse`. */
export interface VarsSchema<T> {
  safeParse(
    value: unknown,
  ):
    | { success: true; data: T }
    | { success: false; error: { issues: readonly { path: readonly PropertyKey[]; message: string }[] } };
}

export interface InventoryDefinition<V extends Record<string, unknown> = Record<string, unknown>> {
  readonly kind: "fabric-ts.inventory";
  readonly groups: Record<string, InventoryGroupDefinition | null>;
  readonly vars: VarsSchema<V> | undefined;
}

export function defineInventory<V extends Record<string, unknown> = Record<string, unknown>>(definition: {
  groups: Record<string, InventoryGroupDefinition | null>;
  vars?: VarsSchema<V>;
}): InventoryDefinition<V> {
  return { kind: "fabric-ts.inventory", groups: definition.groups, vars: definition.vars };
}

/** Checked by shape: the inventory file may have loaded its own copy of this package. */
export function isInventoryDefinition(value: unknown): value is InventoryDefinition {
  return (
    typeof value === "object" &&
    value !== null &&
    (value as { kind?: unknown }).kind === "fabric-ts.inventory" &&
    typeof (value as { groups?: unknown }).groups === "object"
  );
}

/** The vars type of a typed inventory: `VarsOf<typeof inventory>`. */
export type VarsOf<D> = D extends InventoryDefinition<infer V> ? V : Record<string, unknown>;
