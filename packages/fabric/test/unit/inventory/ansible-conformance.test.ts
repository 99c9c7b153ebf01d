/**
 * Fidelity with Ansible: for every case of the inventory corpus, the hosts each pattern selects
 * and what `ansible-inventory --list` prints (groups, children, every host's merged vars) equal
 * Ansible's answers, committed as fixtures by generate.mjs. When ansible-core is installed, the
 * same questions are also put to it live (ansible-oracle.py) and compared.
 */
import { execFileSync, spawnSync } from "node:child_process";
import { existsSync, readFileSync, rmSync } from "node:fs";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { Inventory, InventoryError, inventoryListJson } from "../../../src/inventory/index.js";
import {
  type Expected,
  expectedPath,
  type InventoryCase,
  loadCorpus,
  materialise,
  patternKey,
} from "../../support/inventory-corpus.js";

const corpus = loadCorpus();
const dirs = new Map<string, string>(corpus.map((c) => [c.name, materialise(c)]));
afterAll(() => {
  for (const dir of dirs.values()) rmSync(dir, { recursive: true, force: true });
});

type Ours =
  | { error: InventoryError; list?: undefined; hosts?: undefined }
  | { error?: undefined; list: Record<string, unknown>; hosts: Record<string, string[] | { error: string }> };

/** ansible-inventory prints an `!unsafe` string as `{"__ansible_unsafe": text}`; its value is the text. */
function unwrapUnsafe(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(unwrapUnsafe);
  if (value && typeof value === "object") {
    const entries = Object.entries(value);
    if (entries.length === 1 && entries[0]![0] === "__ansible_unsafe") return entries[0]![1];
    return Object.fromEntries(entries.map(([k, v]) => [k, unwrapUnsafe(v)]));
  }
  return value;
}

async function ours(testCase: InventoryCase): Promise<Ours> {
  const dir = dirs.get(testCase.name)!;
  let inventory: Inventory;
  try {
    inventory = await Inventory.load(testCase.sources, { cwd: dir });
  } catch (error) {
    if (!(error instanceof InventoryError)) throw error;
    return { error };
  }
  const hosts: Record<string, string[] | { error: string }> = {};
  for (const p of testCase.patterns) {
    try {
      hosts[patternKey(p)] = inventory.hostNames(p.pattern, p.limit);
    } catch (error) {
      if (!(error instanceof InventoryError)) throw error;
      hosts[patternKey(p)] = { error: error.message };
    }
  }
  return { list: JSON.parse(JSON.stringify(inventoryListJson(inventory))), hosts };
}

function compare(
  testCase: InventoryCase,
  got: Ours,
  expected: Omit<Expected, "variants">,
  variants: Expected["variants"],
) {
  if ("error" in expected.list) {
    expect(got.error, `Ansible rejects this inventory (${String(expected.list.error)})`).toBeInstanceOf(
      InventoryError,
    );
    expect(got.error?.message).toContain(testCase.sources.length === 1 ? testCase.sources[0] : "");
    return;
  }
  expect(got.error, got.error?.message).toBeUndefined();
  expect(got.list).toEqual(unwrapUnsafe(expected.list));
  const hosts = expected.hosts as Record<string, string[] | { error: string }>;
  for (const p of testCase.patterns) {
    const key = patternKey(p);
    const want = hosts[key];
    const mine = got.hosts![key]!;
    if (!Array.isArray(want)) {
      expect(mine, `Ansible fails on ${key}: ${JSON.stringify(want)}`).toHaveProperty("error");
      continue;
    }
    const accepted = variants[key] ?? [want];
    expect(
      accepted.map((v) => JSON.stringify(v)),
      key,
    ).toContain(JSON.stringify(mine));
  }
}

describe("inventory corpus against Ansible's recorded answers", () => {
  it("has at least 40 cases and 100 patterns", () => {
    expect(corpus.length).toBeGreaterThanOrEqual(40);
    expect(corpus.reduce((n, c) => n + c.patterns.length, 0)).toBeGreaterThanOrEqual(100);
  });

  for (const testCase of corpus) {
    it(testCase.name, async () => {
      const expected = JSON.parse(readFileSync(expectedPath(testCase.name), "utf8")) as Expected;
      compare(testCase, await ours(testCase), expected, expected.variants);
    });
  }
});

const ansibleInventory = spawnSync("sh", ["-c", "command -v ansible-inventory"], {
  encoding: "utf8",
}).stdout.trim();
const live = ansibleInventory !== "" && existsSync(ansibleInventory);

describe.runIf(live)("inventory corpus against Ansible, live", () => {
  const python = readFileSync(ansibleInventory, "utf8")
    .split("\n")[0]!
    .replace(/^#!\s*/, "")
    .trim()
    .split(/\s+/)[0]!;
  let answers: Record<string, Omit<Expected, "variants">> | undefined;
  const ask = () => {
    answers ??= JSON.parse(
      execFileSync(python, [join(import.meta.dirname, "ansible-oracle.py")], {
        input: JSON.stringify(
          corpus.map((c) => ({
            name: c.name,
            dir: dirs.get(c.name),
            sources: c.sources,
            patterns: c.patterns,
          })),
        ),
        env: { ...process.env, ANSIBLE_NOCOLOR: "1" },
        stdio: ["pipe", "pipe", "ignore"],
        maxBuffer: 64 << 20,
      }).toString(),
    ) as Record<string, Omit<Expected, "variants">>;
    return answers;
  };

  for (const testCase of corpus) {
    it(testCase.name, async () => {
      const recorded = JSON.parse(readFileSync(expectedPath(testCase.name), "utf8")) as Expected;
      compare(testCase, await ours(testCase), ask()[testCase.name]!, recorded.variants);
    }, 120_000);
  }
});
