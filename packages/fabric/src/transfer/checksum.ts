import { createHash } from "node:crypto";
import { createReadStream } from "node:fs";
import { join } from "node:path";
import { shellQuote } from "@fabric-ts/invoke";
import type { SshClient } from "@fabric-ts/ssh-core";
import { TransferError } from "../errors/index.js";
import { runPool } from "../pool.js";

export function sha256Local(path: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const hash = createHash("sha256");
    createReadStream(path)
      .on("data", (chunk) => hash.update(chunk))
      .on("error", reject)
      .on("end", () => resolve(hash.digest("hex")));
  });
}

export async function sha256LocalAll(root: string, paths: readonly string[]): Promise<Map<string, string>> {
  const sums = new Map<string, string>();
  await runPool(paths, 8, async (path) => {
    sums.set(path, await sha256Local(join(root, path)));
  });
  return sums;
}

/**
 * SHA-256 of many remote files in one command: names go NUL-separated on stdin to
 * `xargs -0 sha256sum`, which answers in the same order.
 */
export async function sha256RemoteAll(
  client: SshClient,
  root: string,
  paths: readonly string[],
): Promise<Map<string, string>> {
  const sums = new Map<string, string>();
  if (paths.length === 0) return sums;
  const stdin = Buffer.from(`${paths.map((p) => `./${p}`).join("\0")}\0`);
  const result = await client.run(`cd ${shellQuote(root)} && xargs -0 sha256sum --`, { stdin });
  if (result.exitCode !== 0) {
    throw new TransferError(
      `Remote checksums failed (exit ${result.exitCode}): ${result.stderr.trim() || "is sha256sum installed?"}`,
    );
  }
  const lines = result.stdout.split("\n").filter((line) => line !== "");
  if (lines.length !== paths.length) {
    throw new TransferError(`Remote checksums: expected ${paths.length} lines, got ${lines.length}`);
  }
  lines.forEach((line, index) => {
    const hex = /^\\?([0-9a-f]{64}) /.exec(line)?.[1];
    if (!hex) throw new TransferError(`Remote checksums: unreadable line ${JSON.stringify(line)}`);
    sums.set(paths[index] as string, hex);
  });
  return sums;
}
