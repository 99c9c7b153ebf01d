// prompt() and confirm(): on a real terminal (the fab CLI on a pseudo-terminal, typing like a user),
// without one (a clear error), and answered from --set / env / --yes as in CI.
import { execFile } from "node:child_process";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { loadPty } from "@fabric-ts/testing";
import { describe, expect, it } from "vitest";
import { confirm, InvalidAnswer, PromptUnavailable, prompt, promptEnvName } from "../../src/helpers/index.js";
import { FAB_NODE_ARGS, FIXTURES } from "../support/fab-process.js";

const PROJECT = join(FIXTURES, "helpers-prompts");
const emptyHome = mkdtempSync(join(tmpdir(), "fab-home-"));
const ENV = { PATH: process.env.PATH ?? "/usr/bin:/bin", HOME: emptyHome, NO_COLOR: "1", TERM: "xterm" };
/** Only a guard against a hung child; nothing is asserted about time. */
const HANG_GUARD_MS = 90_000;

/** Run `fab` on a pty, typing each answer when its prompt shows up (in order). */
async function fabOnPty(args: readonly string[], answers: readonly [string, string][]) {
  const pty = await loadPty();
  if (!pty) throw new Error("node-pty is not available");
  const child = pty.spawn(process.execPath, [...FAB_NODE_ARGS, ...args], {
    name: "xterm",
    cols: 120,
    rows: 40,
    cwd: PROJECT,
    env: ENV,
  });
  let screen = "";
  let scanned = 0;
  let next = 0;
  const answered: string[] = [];
  child.onData((data) => {
    screen += data;
    const pending = answers[next];
    if (!pending) return;
    const at = screen.indexOf(pending[0], scanned);
    if (at === -1) return;
    scanned = at + pending[0].length;
    next += 1;
    answered.push(pending[0]);
    child.write(`${pending[1]}\r`);
  });
  const exitCode = await new Promise<number>((resolve, reject) => {
    const guard = setTimeout(() => reject(new Error(`fab hung; screen so far:\n${screen}`)), HANG_GUARD_MS);
    child.onExit(({ exitCode }) => {
      clearTimeout(guard);
      resolve(exitCode);
    });
  });
  return { screen, exitCode, answered };
}

/** Run `fab` with pipes (no terminal), as in CI. */
function fabWithoutTerminal(args: readonly string[], env: Record<string, string> = {}) {
  return new Promise<{ code: number; stdout: string; stderr: string }>((resolve) => {
    execFile(
      process.execPath,
      [...FAB_NODE_ARGS, ...args],
      { cwd: PROJECT, env: { ...ENV, ...env } },
      (error, stdout, stderr) => {
        resolve({ code: error ? Number((error as { code?: number }).code ?? 1) : 0, stdout, stderr });
      },
    );
  });
}

describe("prompt and confirm on a terminal (fab on a pty)", () => {
  it("asks again until validate passes, hides a secret, takes the confirm answer", async () => {
    const run = await fabOnPty(
      ["ask"],
      [
        ["Release to ship? [r1] ", "latest"],
        ["must match", "r42"],
        ["Vault password: ", "s3cr3t-typed"],
        ["Ship r42? [y/N] ", "y"],
        ["Really? [Y/n] ", ""],
      ],
    );
    expect(run.answered).toHaveLength(5);
    expect(run.exitCode).toBe(0);
    expect(run.screen).toContain("release=r42 secret-length=12 go=true again=true");
    expect(run.screen).not.toContain("s3cr3t-typed");
  });

  it("Enter takes the default; fab --yes answers every confirm without asking", async () => {
    const run = await fabOnPty(
      ["--yes", "ask"],
      [
        ["Release to ship? [r1] ", ""],
        ["Vault password: ", "x"],
      ],
    );
    expect(run.exitCode).toBe(0);
    expect(run.screen).toContain("release=r1 secret-length=1 go=true again=true");
    expect(run.screen).not.toContain("[y/N]");
  });
});

describe("prompt and confirm without a terminal (CI)", () => {
  it("fail with an error that says how to answer", async () => {
    const run = await fabWithoutTerminal(["ask"]);
    expect(run.code).not.toBe(0);
    expect(run.stderr).toContain('"Release to ship?" needs an answer but stdin is not a terminal');
    expect(run.stderr).toContain("fab --set prompts.release=…` or FABRIC_PROMPT_RELEASE=…");
  });

  it("take answers from --set, env and --yes", async () => {
    const run = await fabWithoutTerminal(
      ["--set", "prompts.release=r7", "--set", "prompts.go=no", "--yes", "ask"],
      {
        FABRIC_PROMPT_VAULT: "from-env",
      },
    );
    expect(run.stderr).toBe("");
    expect(run.code).toBe(0);
    expect(run.stdout).toContain("release=r7 secret-length=8 go=false again=true");
  });

  it("an answer that fails validate is an error, not a silent default", async () => {
    const run = await fabWithoutTerminal(["--set", "prompts.release=latest", "ask"]);
    expect(run.code).not.toBe(0);
    expect(run.stderr).toContain(
      'the answer to "Release to ship?" (config prompts.release) is invalid: must match /r\\d+/',
    );
  });
});

describe("prompt and confirm as a library (explicit config and env)", () => {
  const config = (values: Record<string, unknown>) => ({
    get: <T>(path: string, fallback?: T) => (path in values ? (values[path] as T) : (fallback as T)),
  });

  it("read prompts.<name> from the config given, then FABRIC_PROMPT_<NAME> from env", async () => {
    expect(await prompt("Q?", { name: "db.user", config: config({ "prompts.db.user": "admin" }) })).toBe(
      "admin",
    );
    expect(promptEnvName("db.user")).toBe("FABRIC_PROMPT_DB_USER");
    expect(await prompt("Q?", { name: "db.user", env: { FABRIC_PROMPT_DB_USER: "env-admin" } })).toBe(
      "env-admin",
    );
    expect(await confirm("Go?", { config: config({ "prompts.yes": true }) })).toBe(true);
    expect(await confirm("Go?", { name: "go", env: { FABRIC_PROMPT_GO: "n" } })).toBe(false);
  });

  it("reject invalid answers and a missing terminal with typed errors", async () => {
    await expect(
      prompt("Port?", {
        name: "port",
        env: { FABRIC_PROMPT_PORT: "x" },
        validate: (a) => (/^\d+$/.test(a) ? undefined : "a number please"),
      }),
    ).rejects.toThrow(InvalidAnswer);
    await expect(confirm("Go?", { name: "go", env: { FABRIC_PROMPT_GO: "maybe" } })).rejects.toThrow(
      InvalidAnswer,
    );
    if (!process.stdin.isTTY) await expect(prompt("Unnamed?")).rejects.toThrow(PromptUnavailable);
  });
});
