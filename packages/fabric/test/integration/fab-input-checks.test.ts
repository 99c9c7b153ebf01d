// `fab` refuses bad input clearly instead of running with it or failing silently: a `--concurrency`
// below 1, a `-i` key file that cannot be read, a fabfile that throws or never finishes loading.
import { mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runFab } from "../support/fab-process.js";

const NOWHERE = "nobody@127.0.0.1:1";

describe("fab input checks", () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), "fab-checks-"));
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it.each([["--concurrency=0"], ["--concurrency=-1"], ["--concurrency", "0"]])(
    "%s is refused before any connection",
    async (...flag) => {
      const run = await runFab(["-P", ...flag, "-H", NOWHERE, "--", "true"]);
      expect(run.code).toBe(1);
      expect(run.stderr).toMatch(/'--concurrency' must be at least 1/);
      expect(run.stderr).not.toContain("Connection refused");
    },
    120_000,
  );

  it("--concurrency that is not a whole number is refused", async () => {
    const run = await runFab(["-P", "--concurrency=1.5", "-H", NOWHERE, "--", "true"]);
    expect(run.code).toBe(1);
    expect(run.stderr).toContain("'--concurrency' is not an integer");
  }, 120_000);

  it("a missing -i key file is warned about, as ssh does", async () => {
    const missing = join(dir, "no-such-key");
    const run = await runFab(["-i", missing, "-H", NOWHERE, "--", "true"]);
    expect(run.stderr).toContain(
      `Warning: Identity file ${missing} not accessible: No such file or directory.`,
    );
  }, 120_000);

  it("a fabfile that throws while loading: the error names the file and keeps the cause", async () => {
    const project = join(dir, "throws");
    await mkdir(project, { recursive: true });
    await writeFile(join(project, "fabfile.mjs"), 'throw new Error("broken at import");\n');
    const run = await runFab(["-l"], { cwd: project });
    expect(run.code).toBe(1);
    expect(run.stderr).toContain(`Loading ${join(project, "fabfile.mjs")} failed: Error: broken at import`);
  }, 120_000);

  it("a fabfile whose top-level await never settles says so (instead of exit 13 and no word)", async () => {
    const project = join(dir, "stalls");
    await mkdir(project, { recursive: true });
    await writeFile(join(project, "fabfile.mjs"), "await new Promise(() => {});\nexport const x = 1;\n");
    const run = await runFab(["-l"], { cwd: project });
    expect(run.code).toBe(1);
    expect(run.stderr).toContain(`Loading ${join(project, "fabfile.mjs")} never finished`);
  }, 120_000);
});
