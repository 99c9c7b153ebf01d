// Helpers of the bench's fabfile, imported as a local module as a real project would.
import type { Connection } from "@fabric-ts/fabric";

/** What `deploy` reports back. */
export interface ReleasePlan {
  branch: string;
  keep: number;
  dir: string;
}

/** Where a release of `branch` goes under `root`. */
export function releasePlan(root: string, branch: string, keep: number): ReleasePlan {
  return { branch, keep, dir: `${root}/releases/${branch.replaceAll("/", "-")}` };
}

/** A one-line status of the host: its name as the remote shell sees it. */
export async function hostLine(c: Connection): Promise<string> {
  const result = await c.run("echo ok", { hide: true });
  return result.stdout.trim();
}
