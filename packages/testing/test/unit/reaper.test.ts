import { spawn } from "node:child_process";
import { once } from "node:events";
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import ts from "typescript";
import { afterAll, describe, expect, it } from "vitest";
import { isAlive } from "../../src/sshd/process-tree.js";

const work = mkdtempSync(join(tmpdir(), "fabts-reaper-test-"));
afterAll(() => rmSync(work, { recursive: true, force: true }));

describe("startReaper", () => {
  it("kills the watched process and removes its dir when the Node process is SIGKILLed", async () => {
    // Run the real module in a separate Node process, which we then kill without warning.
    const source = readFileSync(new URL("../../src/sshd/reaper.ts", import.meta.url), "utf8");
    const compiled = ts.transpileModule(source, {
      compilerOptions: { module: ts.ModuleKind.ESNext, target: ts.ScriptTarget.ES2022 },
    }).outputText;
    writeFileSync(join(work, "reaper.mjs"), compiled);
    const watchedDir = mkdtempSync(join(work, "watched-"));
    writeFileSync(
      join(work, "main.mjs"),
      `import { spawn } from "node:child_process";
       import { startReaper } from "./reaper.mjs";
       const target = spawn("sleep", ["300"], { stdio: "ignore", detached: true });
       startReaper(target.pid, ${JSON.stringify(watchedDir)});
       console.log(target.pid);
       setInterval(() => {}, 1000);`,
    );
    const parent = spawn(process.execPath, [join(work, "main.mjs")], {
      stdio: ["ignore", "pipe", "inherit"],
    });
    const [line] = (await once(parent.stdout, "data")) as [Buffer];
    const targetPid = Number(line.toString().trim());
    expect(isAlive(targetPid)).toBe(true);

    parent.kill("SIGKILL");
    await once(parent, "exit");
    for (let i = 0; i < 500 && (isAlive(targetPid) || existsSync(watchedDir)); i++) {
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
    expect(isAlive(targetPid)).toBe(false);
    expect(existsSync(watchedDir)).toBe(false);
  });
});
