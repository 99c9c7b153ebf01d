// Seed: using the Connection as a context manager.
//   with Connection('host') as c:
//       c.run('command')
import { Connection, type ConnectionOptions } from "@fabric-ts/fabric";
import { runIfMain } from "./support/run-main.js";

/** Returns the command's output and the Connection, which is closed once the block is left. */
export async function withConnection(host: string, options: ConnectionOptions = {}) {
  let connection: Connection;
  let output: string;
  {
    await using c = new Connection(host, options);
    connection = c;
    output = (await c.run("echo command", { hide: true })).stdout.trim();
  } // `await using` closes c here, even if run() threw
  return { output, connection };
}

await runIfMain(import.meta.url, async (host = "localhost") => {
  const { output, connection } = await withConnection(host);
  return `${output} (connected afterwards: ${connection.isConnected})`;
});
