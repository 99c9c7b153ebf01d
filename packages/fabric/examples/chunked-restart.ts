// Seed (deep dive): controlling concurrency by chunking a large fleet.
//   all_hosts = [f"web{i}" for i in range(1, 101)]
//   for i in range(0, len(all_hosts), chunk_size):
//       group = ThreadingGroup(*all_hosts[i:i + chunk_size])
//       group.run("systemctl restart myapp")
//       print(f"Restarted chunk {i // chunk_size + 1}")
// fabric-ts also has the limit built in: new ThreadingGroup(...allHosts, { concurrency: 10 }).
import { type GroupOptions, ThreadingGroup } from "@fabric-ts/fabric";
import { runIfMain } from "./support/run-main.js";

export async function restartInChunks(allHosts: string[], chunkSize = 10, options: GroupOptions = {}) {
  // Python's range() raises on a step of 0; this loop would never end. As a fab task the same
  // check is the argument's schema: chunkSize: z.number().int().positive().
  if (!Number.isInteger(chunkSize) || chunkSize < 1) {
    throw new RangeError(`chunkSize must be a positive integer, got ${chunkSize}`);
  }
  const report: string[] = [];
  for (let i = 0; i < allHosts.length; i += chunkSize) {
    const chunk = allHosts.slice(i, i + chunkSize);
    await using group = new ThreadingGroup(...chunk, options);
    await group.run("systemctl restart myapp");
    report.push(`Restarted chunk ${Math.floor(i / chunkSize) + 1}`);
  }
  return report;
}

await runIfMain(import.meta.url, async (...hosts: string[]) => {
  const allHosts = hosts.length ? hosts : Array.from({ length: 100 }, (_, i) => `web${i + 1}`);
  for (const line of await restartInChunks(allHosts, 10)) console.log(line);
});
