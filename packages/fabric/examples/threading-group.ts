// Seed (deep dive): basic parallel runs.
//   group = ThreadingGroup("web1", "web2", "web3", "web4")
//   results = group.run("df -h /")
//   for conn, result in results.items():
//       print(f"{conn.host}: {result.stdout.strip()}")
import { type GroupOptions, ThreadingGroup } from "@fabric-ts/fabric";
import { runIfMain } from "./support/run-main.js";

export async function diskUsage(hosts: string[], options: GroupOptions = {}): Promise<string[]> {
  await using group = new ThreadingGroup(...hosts, options);
  const results = await group.run("df -h /", { hide: true });
  const lines: string[] = [];
  for (const [conn, result] of results.succeeded) lines.push(`${conn.host}: ${result.stdout.trim()}`);
  return lines;
}

await runIfMain(import.meta.url, async (...hosts: string[]) => {
  for (const line of await diskUsage(hosts.length ? hosts : ["web1", "web2", "web3", "web4"]))
    console.log(line);
});
