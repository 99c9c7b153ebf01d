// Typed inventories (inventory.ts): the YAML inventory's shape in TypeScript, every host's merged
// vars validated by a zod schema (defaults filled in), and the vars type carried to c.vars.
import { join } from "node:path";
import { describe, expect, expectTypeOf, it } from "vitest";
import { Connection } from "../../../src/connection/connection.js";
import { Inventory, InventoryError, type VarsOf } from "../../../src/inventory/index.js";
import type typed from "../../fixtures/typed-inventory/inventory.js";

const DIR = join(import.meta.dirname, "..", "..", "fixtures", "typed-inventory");

describe("typed inventory", () => {
  it("reads groups, ranges and children like a YAML inventory and fills schema defaults", async () => {
    const inventory = await Inventory.load<VarsOf<typeof typed>>("inventory.ts", { cwd: DIR });
    expect(inventory.hostNames()).toEqual(["web1", "web2", "db1"]);
    expect(inventory.hostNames("prod:!web1")).toEqual(["web2", "db1"]);
    expect(inventory.vars("web1")).toEqual({
      app_port: 8080,
      tier: "front",
      ansible_user: "deploy",
      release: "main",
    });
    expect(inventory.vars("db1")).toEqual({ app_port: 5432, tier: "data", release: "v2" });
    expect(inventory.connectionOf("web2")).toMatchObject({ host: "web2", user: "deploy", label: "web2" });
    expectTypeOf(inventory.vars("db1").app_port).toEqualTypeOf<number>();
    expectTypeOf(inventory.vars("db1").tier).toEqualTypeOf<"front" | "data">();
  });

  it("varsOf(c) gives a Connection's vars the inventory's type", async () => {
    const inventory = await Inventory.load<VarsOf<typeof typed>>("inventory.ts", { cwd: DIR });
    const c = inventory.connection("db1");
    expect(c).toBeInstanceOf(Connection);
    expect(c.vars.release).toBe("v2");
    expect(c.inventory).toBe(inventory);
    expectTypeOf(inventory.varsOf(c).release).toEqualTypeOf<string>();
  });

  it("names the file, host and key when vars do not satisfy the schema", async () => {
    const error = await Inventory.load("bad-inventory.ts", { cwd: DIR }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(InventoryError);
    expect((error as Error).message).toBe(
      `${join(DIR, "bad-inventory.ts")}: host web1: invalid vars: app_port: Invalid input: expected number, received string`,
    );
  });

  it("refuses a module that does not export a definition", async () => {
    const error = await Inventory.load("../fab-project/fabfile.ts", { cwd: DIR }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(InventoryError);
    expect((error as Error).message).toContain("a typed inventory must export");
  });
});
