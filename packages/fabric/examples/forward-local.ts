// Seed: forward_local, "like ssh -L" — reach a database that only listens on the server itself.
//   with Connection('my-db-server').forward_local(5432):
//       db = psycopg2.connect(host='localhost', port=5432, database='mydb')
// A tiny line-based query service stands in for PostgreSQL (see queryService()).
import { connect } from "node:net";
import { Connection, type ConnectionOptions } from "@fabric-ts/fabric";
import { runIfMain } from "./support/run-main.js";

export interface TunnelPorts {
  /** Port to listen on here. Default 5432. */
  localPort?: number;
  /** Port on the server. Default: the same as localPort. */
  remotePort?: number;
}

export async function queryThroughTunnel(
  c: Connection,
  sql: string,
  ports: TunnelPorts = {},
): Promise<string> {
  const localPort = ports.localPort ?? 5432;
  return c.forwardLocal({ localPort, ...(ports.remotePort ? { remotePort: ports.remotePort } : {}) }, () =>
    sendQuery("127.0.0.1", localPort, sql),
  );
}

/** Send one line, resolve with the first line of the answer (our stand-in for a database driver). */
export function sendQuery(host: string, port: number, sql: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = connect({ host, port }, () => socket.write(`${sql}\n`));
    let answer = "";
    socket.setEncoding("utf8");
    socket.on("data", (chunk: string) => {
      answer += chunk;
      const end = answer.indexOf("\n");
      if (end !== -1) {
        socket.end();
        resolve(answer.slice(0, end));
      }
    });
    socket.on("error", reject);
    socket.on("close", () =>
      reject(new Error(`connection closed before an answer (got ${JSON.stringify(answer)})`)),
    );
  });
}

await runIfMain(import.meta.url, async (host = "my-db-server", sql = "SELECT 1") => {
  await using c = new Connection(host, {} satisfies ConnectionOptions);
  return queryThroughTunnel(c, sql);
});
