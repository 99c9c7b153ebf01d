import { posix } from "node:path";
import type { Connection } from "../connection/connection.js";
import { TransferError } from "../errors/index.js";
import { interpolateLocalPath } from "../transfer/paths.js";

/** Host placeholders tried, in order, for a group download without a local path. */
const DEFAULT_TEMPLATES = [
  "{host}/",
  "{originalHost}/",
  "{originalHost}-{port}/",
  "{user}@{originalHost}-{port}/",
];

function expand(template: string, c: Connection, remote: string): string {
  return interpolateLocalPath(template, {
    host: c.host,
    user: c.user,
    port: c.port,
    originalHost: c.originalHost,
    dirname: posix.dirname(remote),
    basename: posix.basename(remote),
  });
}

/** The first pair of hosts whose downloads would land on the same local path, if any. */
function collision(template: string, connections: readonly Connection[], remote: string) {
  const seen = new Map<string, Connection>();
  for (const c of connections) {
    const path = expand(template, c, remote);
    const other = seen.get(path);
    if (other) return { path, first: other, second: c };
    seen.set(path, c);
  }
  return undefined;
}

/**
 * The local path template for a group download, chosen so that no two hosts write to the same place
 * (one host silently overwriting another's file is data loss). Without a template, `{host}/` as in
 * Fabric, or the first of `{originalHost}/`, `{originalHost}-{port}/`… that tells the hosts apart (two
 * ssh_config aliases often share one HostName). A given template that would collide is refused.
 * @throws {TransferError} when the given template sends two hosts to one path.
 */
export function groupLocalTemplate(
  local: string | undefined,
  connections: readonly Connection[],
  remote: string,
): string {
  if (local !== undefined) {
    const clash = collision(local, connections, remote);
    if (clash) {
      throw new TransferError(
        `Downloads from ${clash.first.originalHost} and ${clash.second.originalHost} would both be written to ` +
          `${JSON.stringify(clash.path)}: put a host placeholder in the local path, e.g. "{originalHost}/" ` +
          "(known: {host}, {originalHost}, {user}, {port}, {basename}, {dirname}).",
      );
    }
    return local;
  }
  const distinct = DEFAULT_TEMPLATES.find((template) => !collision(template, connections, remote));
  // Only the same user@host:port twice is left: those downloads are the same file anyway.
  return distinct ?? DEFAULT_TEMPLATES[0]!;
}
