import { mkdirSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { CollectionNotFound } from "../../src/errors.js";
import { FilesystemLoader } from "../../src/loader/filesystem-loader.js";

function tree(files: Record<string, string>): string {
  const root = mkdtempSync(join(tmpdir(), "inv-loader-"));
  for (const [path, text] of Object.entries(files)) {
    mkdirSync(join(root, path, ".."), { recursive: true });
    writeFileSync(join(root, path), text);
  }
  return root;
}

describe("FilesystemLoader", () => {
  it("prefers tasks.ts over tasks.mts, tasks.js, tasks.mjs, and files over a tasks/ directory", () => {
    const root = tree({
      "tasks.ts": "export const kind: string = 'ts';",
      "tasks.js": "export const kind = 'js';",
      "tasks/index.js": "export const kind = 'dir';",
    });
    expect(new FilesystemLoader({ start: root }).find("tasks").path).toBe(join(root, "tasks.ts"));
    const noTs = tree({ "tasks.mjs": "", "tasks.js": "" });
    expect(new FilesystemLoader({ start: noTs }).find("tasks").path).toBe(join(noTs, "tasks.js"));
  });

  it("searches upward; a tasks/ directory's project dir is its parent", async () => {
    const root = tree({ "tasks/index.ts": "export const kind: string = 'dir';", "a/b/.keep": "" });
    const loaded = await new FilesystemLoader({ start: join(root, "a", "b") }).load("tasks");
    expect(loaded).toMatchObject({ path: join(root, "tasks", "index.ts"), projectDir: root, name: "tasks" });
    expect(loaded.module.kind).toBe("dir");
  });

  it("loads TypeScript without a build step and JavaScript natively", async () => {
    const ts = tree({ "tasks.ts": "const n: number = 2; export const doubled = n * 2;" });
    expect((await new FilesystemLoader({ start: ts }).load("tasks")).module.doubled).toBe(4);
    const js = tree({ "fabfile.mjs": "export const name = 'fab';" });
    expect((await new FilesystemLoader({ start: js }).load("fabfile")).module.name).toBe("fab");
  });

  it("accepts an explicit file path and reports a missing collection", () => {
    const root = tree({ "ci/jobs.ts": "" });
    expect(new FilesystemLoader({ start: root }).find("ci/jobs.ts").name).toBe("jobs");
    expect(() => new FilesystemLoader({ start: root }).find("nothing-here")).toThrow(CollectionNotFound);
  });
});
