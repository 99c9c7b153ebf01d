// Seed: the Connection lifecycle ("create, connect/open, do work, disconnect/close").
//   c = Connection('host'); c.run('uname -s'); c.close()
import { Connection, type ConnectionOptions } from "@fabric-ts/fabric";
import { runIfMain } from "./support/run-main.js";

export async function connectionBasics(host: string, options: ConnectionOptions = {}) {
  const c = new Connection(host, options);
  const openedAtStart = c.isConnected; // construction does not dial
  const result = await c.run("uname -s", { hide: true }); // run() opens the connection
  const openedAfterRun = c.isConnected;
  await c.close();
  return { openedAtStart, openedAfterRun, closed: !c.isConnected, uname: result.stdout.trim(), user: c.user };
}

await runIfMain(import.meta.url, (host = "localhost") => connectionBasics(host));
