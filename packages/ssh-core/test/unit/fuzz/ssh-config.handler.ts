/**
 * Worker-side ssh_config case: writes the case's files under a fresh HOME, resolves, and reports
 * whether the resolver returned, threw an SshConfigError (with its code) or crashed.
 * `Match exec` never runs a command: a fake runner records it and answers from the text.
 */
import { chmodSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { SshConfigError } from "../../../src/ssh-config/errors.js";
import { resolveSshConfigSync } from "../../../src/ssh-config/resolve.js";
import { ResolvedSshConfig } from "../../../src/ssh-config/resolved.js";

export interface ConfigCase {
  /** Files relative to the case's HOME (latin1: every byte of a string survives). */
  files: Record<string, string>;
  host: string;
  /** Relative to HOME; without it the user file `~/.ssh/config` is read. */
  configFile?: string;
  user?: string;
  port?: number;
  extraOptions?: string[];
}

export type CaseOutcome =
  | { kind: "ok"; lines: number; execCalls: string[] }
  | { kind: "typed"; code: string; message: string; execCalls: string[] }
  | { kind: "crash"; name: string; message: string; stack: string };

export const CODES = new Set([
  "BAD_CONFIGURATION",
  "CANNOT_OPEN",
  "INCLUDE_DEPTH",
  "BAD_PERMISSIONS",
  "MATCH_EXEC_FAILED",
  "BAD_TOKEN",
  "INVALID_OPTIONS",
]);

/** What callers read from a result must not throw either (e.g. `proxyJumpHops` re-parses ProxyJump). */
function readEveryGetter(resolved: ResolvedSshConfig): void {
  for (const [name, descriptor] of Object.entries(
    Object.getOwnPropertyDescriptors(ResolvedSshConfig.prototype),
  )) {
    if (descriptor.get) descriptor.get.call(resolved);
    else if (name === "explain") resolved.explain();
  }
  const port = resolved.port;
  if (!Number.isInteger(port) || port < 1 || port > 65535) throw new RangeError(`resolved port ${port}`);
}

/** `none` and absolute paths as given; anything else lives under HOME. */
function configPath(home: string, file: string): string {
  return file.toLowerCase() === "none" || file.startsWith("/") ? file : join(home, file);
}

export function handle(input: ConfigCase): CaseOutcome {
  const home = mkdtempSync(join(tmpdir(), "fuzz-sshcfg-"));
  chmodSync(home, 0o755);
  const execCalls: string[] = [];
  try {
    for (const [path, content] of Object.entries(input.files)) {
      const full = join(home, path);
      mkdirSync(dirname(full), { recursive: true, mode: 0o755 });
      writeFileSync(full, content, { encoding: "latin1", mode: 0o644 });
    }
    const resolved = resolveSshConfigSync({
      host: input.host,
      ...(input.configFile === undefined ? {} : { configFile: configPath(home, input.configFile) }),
      ...(input.user === undefined ? {} : { user: input.user }),
      ...(input.port === undefined ? {} : { port: input.port }),
      ...(input.extraOptions === undefined ? {} : { extraOptions: input.extraOptions }),
      systemConfigFile: join(home, "etc/ssh_config"),
      homeDir: home,
      localUser: "fuzzer",
      localHostname: "fuzzhost.example",
      env: { HOME: home, USER: "fuzzer", SHELL: "/nonexistent/shell", FUZZ: "value" },
      cwd: home,
      resolveHostname: (name) => name.startsWith("known"),
      runExec: (command) => {
        execCalls.push(command);
        return { status: command.length % 3 === 0 ? 0 : 1 };
      },
    });
    readEveryGetter(resolved);
    return { kind: "ok", lines: resolved.toLines().length, execCalls };
  } catch (error) {
    if (error instanceof SshConfigError) {
      return { kind: "typed", code: error.code, message: error.message, execCalls };
    }
    const e = error as Error;
    return { kind: "crash", name: e?.name, message: String(e?.message), stack: String(e?.stack) };
  } finally {
    rmSync(home, { recursive: true, force: true });
  }
}
