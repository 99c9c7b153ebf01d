// Seed: forward_remote, "like ssh -R" — let a server reach a daemon on your workstation.
//   c = Connection('my-remote-server')
//   with c.forward_remote(8080):
//       c.run("remote-data-writer --port 8080")
import { Connection, type Result } from "@fabric-ts/fabric";
import { runIfMain } from "./support/run-main.js";

export interface RemoteForward {
  /** Port the server listens on. Default 8080. */
  remotePort?: number;
  /** Port of the local daemon. Default: the same as remotePort. */
  localPort?: number;
}

/** Run `writer` on the server while its `remotePort` leads to our `localPort`. */
export async function funnelToWorkstation(
  c: Connection,
  writer = "remote-data-writer --port 8080",
  ports: RemoteForward = {},
): Promise<Result> {
  const remotePort = ports.remotePort ?? 8080;
  return c.forwardRemote({ remotePort, ...(ports.localPort ? { localPort: ports.localPort } : {}) }, () =>
    c.run(writer, { hide: true }),
  );
}

await runIfMain(import.meta.url, async (host = "my-remote-server", writer?: string) => {
  await using c = new Connection(host);
  return (await funnelToWorkstation(c, writer)).stdout;
});
