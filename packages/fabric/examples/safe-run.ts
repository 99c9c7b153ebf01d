// Seed (deep dive): "Fabric does not automatically reconnect. A defensive pattern:"
//   def safe_run(conn, command):
//       try:
//           return conn.run(command, hide=True)
//       except Exception:
//           conn.close()
//           conn.open()
//           return conn.run(command, hide=True)
import { Connection, type Result } from "@fabric-ts/fabric";
import { runIfMain } from "./support/run-main.js";

export async function safeRun(conn: Connection, command: string): Promise<Result> {
  try {
    return await conn.run(command, { hide: true });
  } catch {
    await conn.close();
    await conn.open();
    return conn.run(command, { hide: true });
  }
}

await runIfMain(import.meta.url, async (host = "web1", command = "uptime") => {
  await using c = new Connection(host);
  return (await safeRun(c, command)).stdout;
});
