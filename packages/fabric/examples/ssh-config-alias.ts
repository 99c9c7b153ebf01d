// Seed: ssh_config aliases.
//   Host myalias
//       Hostname realhostname
//   Connection(host='myalias')  →  .host == 'realhostname', .original_host == 'myalias'
// Deep dive: c = Connection("production-web")  # uses the ~/.ssh/config entry (key, user, proxy jump)
import { Connection, type ConnectionOptions } from "@fabric-ts/fabric";
import { runIfMain } from "./support/run-main.js";

export async function connectViaAlias(alias: string, options: ConnectionOptions = {}) {
  await using c = new Connection(alias, options);
  const hostname = (await c.run("hostname", { hide: true })).stdout.trim();
  return { host: c.host, originalHost: c.originalHost, user: c.user, port: c.port, hostname };
}

await runIfMain(import.meta.url, (alias = "production-web") => connectViaAlias(alias));
