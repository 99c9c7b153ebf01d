// `Connection.shell()`: an interactive login shell on a pty, with Fabric's short list of options.
import { invokeDefaults, type Runner, type RunOptions } from "@fabric-ts/invoke";
import type { Result } from "../result.js";
import { RemoteShell } from "../runners/remote-shell.js";
import type { Connection, RemoteRunnerClass } from "./connection.js";

/** Options accepted by `shell()` (Fabric's five, plus `signal`, `hide` and `outStream`). */
export type ShellOptions = Pick<
  RunOptions,
  "encoding" | "env" | "inStream" | "replaceEnv" | "watchers" | "signal" | "hide" | "outStream"
>;

const SHELL_OPTIONS = new Set([
  "encoding",
  "env",
  "inStream",
  "replaceEnv",
  "watchers",
  "signal",
  "hide",
  "outStream",
]);

/**
 * Open `connection` and run its login shell with the configured `runners.remoteShell`; a non-zero
 * exit does not throw.
 * @throws {TypeError} for options other than those of {@link ShellOptions}.
 */
export async function runShell(connection: Connection, options: ShellOptions): Promise<Result> {
  const unexpected = Object.keys(options).filter((key) => !SHELL_OPTIONS.has(key));
  if (unexpected.length > 0) {
    throw new TypeError(
      `shell() got unexpected keyword arguments: [${unexpected.map((k) => `'${k}'`).join(", ")}]`,
    );
  }
  await connection.open();
  const run = connection.config.run;
  const defaults = invokeDefaults().run;
  const configured = connection.config.get<RemoteRunnerClass | null>("runners.remoteShell", null);
  const runner: Runner =
    typeof configured === "function" ? new configured(connection) : new RemoteShell(connection);
  const result = await runner.run("", {
    ...defaults,
    encoding: run.encoding,
    env: run.env,
    inStream: run.inStream,
    replaceEnv: run.replaceEnv,
    watchers: run.watchers,
    ...options,
    pty: true,
    warn: true,
    echo: false,
    asynchronous: false,
    disown: false,
    dry: false,
  });
  return result as Result;
}
