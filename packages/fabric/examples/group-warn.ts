// Seed (deep dive): error handling in groups.
//   results = group.run("deploy.sh", warn=True)
//   for conn, result in results.items():
//       if result.failed:
//           print(f"FAILED on {conn.host}: {result.stderr}")
import { type GroupOptions, ThreadingGroup } from "@fabric-ts/fabric";
import { runIfMain } from "./support/run-main.js";

export async function deployReportingFailures(
  hosts: string[],
  options: GroupOptions = {},
): Promise<string[]> {
  await using group = new ThreadingGroup(...hosts, options);
  // warn: a non-zero exit is a failed Result, not an exception; every host still runs.
  const results = await group.run("deploy.sh", { warn: true, hide: true });
  const report: string[] = [];
  for (const [conn, result] of results) {
    // Unreachable hosts (or auth errors) are Errors, not Results, even with warn.
    if (result instanceof Error) report.push(`FAILED on ${conn.host}: ${result.message}`);
    else if (result.failed) report.push(`FAILED on ${conn.host}: ${result.stderr.trim()}`);
  }
  return report;
}

await runIfMain(import.meta.url, async (...hosts: string[]) => {
  for (const line of await deployReportingFailures(hosts)) console.log(line);
});
