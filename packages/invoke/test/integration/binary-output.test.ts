// A command's output mirrored to this process's own stdout/stderr goes out as the bytes it printed, as
// `cmd > file` would: binary output survives, invalid UTF-8 is not replaced. The Result still holds text.
import { spawnSync } from "node:child_process";
import { randomBytes } from "node:crypto";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, describe, expect, it } from "vitest";
import { INV_BIN } from "../support/cli-helpers.js";

const here = dirname(fileURLToPath(import.meta.url));
const DIST_INDEX = join(here, "..", "..", "dist", "index.js");

const project = mkdtempSync(join(tmpdir(), "inv-binary-"));
const data = randomBytes(300_000);
writeFileSync(join(project, "data.bin"), data);
writeFileSync(
  join(project, "tasks.mjs"),
  [
    `import { task } from ${JSON.stringify(DIST_INDEX)};`,
    "export const out = task({}, async (c) => { await c.run('cat data.bin'); });",
    "export const err = task({}, async (c) => { await c.run('cat data.bin >&2'); });",
    // What the Result holds: decoded text of the same length a per-chunk decode gives.
    "export const result = task({}, async (c) => {",
    "  const r = await c.run('cat data.bin', { hide: true });",
    "  process.stdout.write(String(r.stdout.length));",
    "});",
  ].join("\n"),
);
afterAll(() => rmSync(project, { recursive: true, force: true }));

function inv(task: string) {
  return spawnSync(process.execPath, [INV_BIN, task], {
    cwd: project,
    env: { PATH: process.env.PATH ?? "/usr/bin:/bin", HOME: project },
  });
}

describe("binary output through inv", () => {
  it("stdout: the exact bytes the command printed", () => {
    const run = inv("out");
    expect(run.status).toBe(0);
    expect(Buffer.compare(run.stdout, data)).toBe(0);
  });

  it("stderr: the exact bytes the command printed", () => {
    const run = inv("err");
    expect(run.status).toBe(0);
    expect(Buffer.compare(run.stderr, data)).toBe(0);
  });

  it("the Result holds the output decoded as UTF-8 (invalid bytes as U+FFFD)", () => {
    const run = inv("result");
    expect(run.status).toBe(0);
    expect(run.stdout.toString()).toBe(String(data.toString("utf8").length));
  });
});
