import {
  type AsyncRunOptions,
  type DisownedResult,
  type DisownRunOptions,
  type Result as InvokeResult,
  type ResultInit as InvokeResultInit,
  RunHandle,
  Runner,
  type RunOptions,
  type StartedProcess,
  type StartOptions,
  type SyncRunOptions,
  shellQuote,
} from "@fabric-ts/invoke";
import type { ExecOptions, SshClient } from "@fabric-ts/ssh-core";
import type { Connection } from "../connection/connection.js";
import { sshConfigEnvironment } from "../connection/ssh-env.js";
import { Result } from "../result.js";
import { execAsProcess } from "./exec-process.js";
import { followTerminalSize } from "./terminal-size.js";
import { transportError } from "./transport-error.js";

export interface RemoteOptions {
  /** Send `env` as `export K=v … &&` before the command (default: the connection's `inlineSshEnv`). */
  inlineEnv?: boolean;
}

/**
 * Runs commands on a {@link Connection}'s host, one SSH exec channel per command (Fabric's `Remote`).
 *
 * - The remote environment is exactly `env` (plus ssh_config SetEnv/SendEnv): the local environment
 *   is never sent, whatever `replaceEnv` says (Fabric defaulted `replaceEnv` to true for remote runs; here false cannot leak
 *   local variables either).
 * - `env` is sent inline (`export A='1' && cmd`, values quoted) or, with `inlineEnv: false`, as SSH
 *   env requests (which sshd drops unless its AcceptEnv lists the names).
 * - `pty: true` asks for a remote pty the size of the local terminal, and follows its resizes.
 * - `shell` is not used: sshd runs the command with the remote user's login shell.
 * - Ctrl-C: with a pty, `\x03` is written to it; without one, SIGINT is sent to the remote command.
 * - Timeouts and aborts stop the remote command in bounded time whatever the server does (see
 *   `execAsProcess`); `CommandTimedOut.stillRunning` says when it may have outlived the stop.
 */
export class Remote extends Runner {
  readonly connection: Connection;
  protected readonly inlineEnv: boolean;

  constructor(context: Connection, options: RemoteOptions = {}) {
    super(context);
    this.connection = context;
    this.inlineEnv = options.inlineEnv ?? context.inlineSshEnv;
  }

  /**
   * Invoke's `run()`, except that SSH failures (connect errors, a connection lost mid-command) reject
   * as the typed ssh-core error with its `code`, not wrapped in a SpawnError.
   */
  override run(command: string, options: AsyncRunOptions): Promise<RunHandle>;
  override run(command: string, options: DisownRunOptions): Promise<DisownedResult>;
  override run(command: string, options?: SyncRunOptions): Promise<InvokeResult>;
  override run(command: string, options?: RunOptions): Promise<InvokeResult | RunHandle>;
  override async run(command: string, options: RunOptions = {}): Promise<InvokeResult | RunHandle> {
    try {
      const outcome = await super.run(command, options);
      if (outcome instanceof RunHandle) {
        return outcome.withResult((result) =>
          result.catch((error: unknown) => {
            throw transportError(error);
          }),
        );
      }
      return outcome;
    } catch (error) {
      throw transportError(error);
    }
  }

  protected async start(command: string, options: StartOptions): Promise<StartedProcess> {
    const client = await this.connection.openClient();
    if (options.disown) return startDisowned(client, command, options.env, this.execEnvMode());
    const exec: ExecOptions = {
      env: options.env,
      envMode: this.execEnvMode(),
      pty: options.pty ? { cols: options.size.columns, rows: options.size.rows } : false,
    };
    const started = execAsProcess(client.exec(command, exec));
    return options.pty ? followTerminalSize(started) : started;
  }

  /** ssh_config SendEnv/SetEnv (if any) under `env`; never the rest of the local environment. */
  protected override generateEnv(
    env: Readonly<Record<string, string>>,
    _replaceEnv: boolean,
  ): Record<string, string> {
    return { ...sshConfigEnvironment(this.connection.sshConfig), ...env };
  }

  protected override sendInterrupt(started: StartedProcess, usingPty: boolean): void {
    if (usingPty) super.sendInterrupt(started, usingPty);
    else started.kill("SIGINT");
  }

  protected override generateResult(init: InvokeResultInit): Result {
    return new Result({ ...init, connection: this.connection });
  }

  protected execEnvMode(): "inline" | "setenv" {
    return this.inlineEnv ? "inline" : "setenv";
  }
}

/** Start the command in the background on the host and return at once (the channel ends by itself). */
function startDisowned(
  client: SshClient,
  command: string,
  env: Readonly<Record<string, string>>,
  envMode: "inline" | "setenv",
): StartedProcess {
  const handle = client.exec(`nohup sh -c ${shellQuote(command, true)} >/dev/null 2>&1 </dev/null &`, {
    env,
    envMode,
    stdin: null,
    onStdout: () => {},
    onStderr: () => {},
  });
  handle.done.catch(() => {});
  return {
    pid: undefined,
    stdout: null,
    stderr: null,
    stdin: null,
    wait: () => new Promise<never>(() => {}),
    kill: () => {},
  };
}
