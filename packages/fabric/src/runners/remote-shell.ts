import type { Duplex, Readable } from "node:stream";
import type { ProcessExit, StartedProcess, StartOptions } from "@fabric-ts/invoke";
import { Remote } from "./remote.js";
import { followTerminalSize } from "./terminal-size.js";

/**
 * Runs an interactive login shell on a pty (Fabric's `RemoteShell`, behind `Connection.shell()`).
 * The "command" is ignored; `env` is sent as SSH env requests (subject to sshd's AcceptEnv).
 */
export class RemoteShell extends Remote {
  protected override async start(_command: string, options: StartOptions): Promise<StartedProcess> {
    const client = await this.connection.openClient();
    const window = {
      term: "vt100",
      cols: options.size.columns,
      rows: options.size.rows,
      width: 0,
      height: 0,
    };
    // ssh2 honours `agentForward` on shells too; its type definitions do not list it.
    const request = { env: { ...options.env }, agentForward: client.wantsAgentForward() };
    const channel = await new Promise<ShellChannel>((resolve, reject) => {
      client.ssh2Client.shell(window, request, (error: Error | undefined, stream: ShellChannel) =>
        error ? reject(error) : resolve(stream),
      );
    });
    const exited = new Promise<ProcessExit>((resolve) => {
      let exit: ProcessExit = { exitCode: null, signal: null };
      channel.on("exit", (code: number | null, signal?: string) => {
        exit = { exitCode: code ?? null, signal: signal ? `SIG${signal}` : null };
      });
      channel.on("close", () => resolve(exit));
    });
    return followTerminalSize({
      pid: undefined,
      stdout: channel,
      stderr: channel.stderr,
      stdin: channel,
      wait: () => exited,
      kill: (signal = "SIGTERM") => {
        channel.signal(signal.replace(/^SIG/, ""));
        if (signal === "SIGKILL" || signal === "SIGTERM") channel.close();
      },
      resize: (size) => channel.setWindow(size.rows, size.columns, 0, 0),
    });
  }
}

/** The parts of ssh2's ClientChannel a shell session uses. */
interface ShellChannel extends Duplex {
  readonly stderr: Readable;
  signal(name: string): unknown;
  close(): unknown;
  setWindow(rows: number, cols: number, height: number, width: number): unknown;
}
