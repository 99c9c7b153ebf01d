// Reference row: plain ssh2 with TCP_NODELAY and no layers on top, i.e. the floor for ssh-core.
import { readFileSync } from "node:fs";
import { connect } from "node:net";
import ssh2 from "ssh2";
import { readSpec, report, required, type WorkerSpec } from "./spec.js";

function open(spec: WorkerSpec): Promise<ssh2.Client> {
  const address = required(spec.addresses[0], "addresses[0]");
  return new Promise((resolve, reject) => {
    const sock = connect({ host: address, port: spec.port, noDelay: true });
    const client = new ssh2.Client();
    client.once("ready", () => resolve(client));
    client.once("error", reject);
    sock.once("connect", () =>
      client.connect({
        sock,
        username: spec.user,
        privateKey: readFileSync(spec.identityFile),
        // Host keys are not checked: this row measures transport cost only.
        algorithms: { cipher: ["aes128-gcm@openssh.com", "aes256-gcm@openssh.com", "aes128-ctr"] },
      }),
    );
    sock.once("error", reject);
  });
}

function exec(client: ssh2.Client, command: string): Promise<string> {
  return new Promise((resolve, reject) => {
    client.exec(command, (error, channel) => {
      if (error) return reject(error);
      const out: Buffer[] = [];
      let code: number | null = null;
      channel.on("data", (chunk: Buffer) => out.push(chunk));
      channel.stderr.resume();
      channel.on("exit", (exitCode: number | null) => {
        code = exitCode;
      });
      channel.on("close", () =>
        code === 0 ? resolve(Buffer.concat(out).toString("utf8")) : reject(new Error(`exit ${code}`)),
      );
    });
  });
}

function sftp(client: ssh2.Client): Promise<ssh2.SFTPWrapper> {
  return new Promise((resolve, reject) => client.sftp((error, s) => (error ? reject(error) : resolve(s))));
}

async function main(): Promise<void> {
  const spec = readSpec();
  const client = await open(spec);
  try {
    switch (spec.mode) {
      case "seq": {
        const command = required(spec.command, "command");
        const started = performance.now();
        const out: string[] = [];
        for (let i = 0; i < required(spec.count, "count"); i++) out.push(await exec(client, command));
        process.stdout.write(out.join(""));
        report({ loopMs: performance.now() - started });
        return;
      }
      case "put":
      case "get": {
        const local = required(spec.local, "local");
        const remote = required(spec.remote, "remote");
        const channel = await sftp(client);
        await new Promise<void>((resolve, reject) => {
          const done = (error: Error | null | undefined) => (error ? reject(error) : resolve());
          const opts = { concurrency: 64, chunkSize: 32768 };
          if (spec.mode === "put") channel.fastPut(local, remote, opts, done);
          else channel.fastGet(remote, local, opts, done);
        });
        return;
      }
      default:
        throw new Error(`ssh2 worker has no ${spec.mode} mode`);
    }
  } finally {
    client.end();
  }
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exitCode = 1;
});
