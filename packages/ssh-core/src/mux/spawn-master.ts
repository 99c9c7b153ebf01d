import { spawn } from "node:child_process";
import { closeSync, openSync, readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import type { MasterSpec } from "./master-spec.js";

/** A master's first answer: serving, or why it could not (its error's name, code and message). */
export type MasterAnswer =
  | { ok: true }
  | { ok: false; name: string; code: string | number | null; message: string };

/**
 * The master process entry as built (the `default` of the `@fabric-ts/ssh-core/mux-master` export),
 * read from the package's exports so that a custom resolve condition of this process (e.g. a test
 * runner's `source`) cannot send `node` to a TypeScript file.
 */
export function masterEntryPath(): string {
  const manifest = createRequire(import.meta.url).resolve("@fabric-ts/ssh-core/package.json");
  const pkg = JSON.parse(readFileSync(manifest, "utf8")) as {
    exports: Record<string, { default: string }>;
  };
  return join(dirname(manifest), pkg.exports["./mux-master"]!.default);
}

/**
 * Start a master in the background: a detached `node` process of its own session (so a Ctrl-C or the
 * end of this process does not reach it), its log in `<socket>.log`. Resolves with its first answer,
 * or a failure when it says nothing within `timeoutMs`; this process never waits on it afterwards.
 */
export function spawnMaster(spec: MasterSpec, timeoutMs: number): Promise<MasterAnswer> {
  const logFd = openSync(`${spec.socketPath}.log`, "w", 0o600);
  let child: ReturnType<typeof spawn>;
  try {
    child = spawn(process.execPath, [masterEntryPath()], {
      detached: true,
      stdio: ["pipe", "pipe", logFd],
      env: process.env,
    });
  } finally {
    closeSync(logFd);
  }
  return new Promise((resolve) => {
    let settled = false;
    let output = "";
    const settle = (answer: MasterAnswer) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      child.stdout?.destroy();
      child.stdin?.destroy();
      child.unref();
      resolve(answer);
    };
    const timer = setTimeout(
      () => settle(failure("MasterTimeout", null, `the master gave no answer within ${timeoutMs} ms`)),
      timeoutMs,
    );
    child.once("error", (error) =>
      settle(failure(error.name, null, `cannot start a master: ${error.message}`)),
    );
    child.once("exit", (code) =>
      settle(failure("MasterExited", code, `the master exited with code ${code}`)),
    );
    child.stdout?.setEncoding("utf8");
    child.stdout?.on("data", (chunk: string) => {
      output += chunk;
      const end = output.indexOf("\n");
      if (end === -1) return;
      const line = output.slice(0, end);
      if (line === "ready") return settle({ ok: true });
      try {
        const error = JSON.parse(line.replace(/^error /, "")) as Omit<MasterAnswer & { ok: false }, "ok">;
        settle({ ok: false, name: error.name, code: error.code, message: error.message });
      } catch {
        settle(failure("MasterError", null, line));
      }
    });
    child.stdin?.on("error", () => {});
    child.stdin?.end(JSON.stringify(spec));
  });
}

function failure(name: string, code: string | number | null, message: string): MasterAnswer {
  return { ok: false, name, code, message };
}
