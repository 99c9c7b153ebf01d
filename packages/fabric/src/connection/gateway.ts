import { spawn } from "node:child_process";
import { homedir, hostname, userInfo } from "node:os";
import { Duplex } from "node:stream";
import type { SshClient } from "@fabric-ts/ssh-core";
import { percentExpand } from "@fabric-ts/ssh-core/ssh-config";

export interface ProxyTarget {
  host: string;
  port: number;
  user: string;
  originalHost: string;
}

/** Expand ProxyCommand tokens as OpenSSH does at connect time (`%h %p %r %n %u %d %l %L %%`). */
export function expandProxyCommand(command: string, target: ProxyTarget): string {
  const local = hostname();
  return percentExpand(command, {
    h: target.host,
    p: String(target.port),
    r: target.user,
    n: target.originalHost,
    u: userInfo().username,
    d: homedir(),
    l: local,
    L: local.split(".")[0] ?? local,
  });
}

/**
 * Run a ProxyCommand (`exec`'d by /bin/sh, as ssh does) and speak SSH over its stdin/stdout.
 * Destroying the stream kills the command; its stderr goes to ours, as with ssh.
 */
export function proxyCommandStream(command: string): Duplex {
  const child = spawn("/bin/sh", ["-c", `exec ${command}`], { stdio: ["pipe", "pipe", "inherit"] });
  const stream = Duplex.from({ readable: child.stdout, writable: child.stdin });
  child.on("error", (error) => stream.destroy(error));
  // Destroying a half-read duplex reports an AbortError; whoever destroyed it already knows.
  stream.on("error", () => {});
  stream.on("close", () => {
    if (child.exitCode === null && child.signalCode === null) child.kill("SIGTERM");
  });
  // `ssh -W` style commands keep stdout open until the remote side closes: end us when they exit.
  child.on("exit", () => {
    if (!stream.destroyed) stream.push(null);
  });
  return stream;
}

/** A `direct-tcpip` channel from the gateway's host to `host:port` (what `ssh -J` does per hop). */
export function tunnelThrough(client: SshClient, host: string, port: number): Promise<Duplex> {
  return new Promise((resolve, reject) => {
    client.ssh2Client.forwardOut("127.0.0.1", 0, host, port, (error: Error | undefined, channel: Duplex) =>
      error
        ? reject(
            new Error(
              `Gateway ${client.host} could not open a channel to ${host}:${port}: ${error.message}`,
              { cause: error },
            ),
          )
        : resolve(channel),
    );
  });
}
