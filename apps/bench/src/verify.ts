import { createHash } from "node:crypto";
import { createReadStream } from "node:fs";
import { readdir, readFile } from "node:fs/promises";
import { join, relative } from "node:path";
import type { Measurement } from "./measure.js";
import { REPORT_PREFIX } from "./workers/spec.js";

/** Undefined for a clean exit, else what went wrong with the stderr tail. */
export function checkExit(run: Measurement): string | undefined {
  if (run.exitCode === 0) return undefined;
  const how = run.signal ? `signal ${run.signal}` : `exit ${run.exitCode}`;
  const lines = `${run.stderr}\n${run.stdout}`.trim().split("\n");
  // Node prints the throwing source line first and the error last; the first "…Error" line says most.
  const error = lines.find((line) => /(Error|error)\b/.test(line)) ?? lines.slice(-3).join(" | ");
  return `${how}: ${error.trim().slice(0, 300)}`;
}

/** Checks a clean exit and exactly `count` output lines equal to `line` (report lines ignored). */
export function checkLines(run: Measurement, line: string, count: number): string | undefined {
  const exit = checkExit(run);
  if (exit) return exit;
  const lines = run.stdout.split("\n").filter((l) => l !== "" && !l.startsWith(REPORT_PREFIX));
  const matching = lines.filter((l) => l.trim() === line).length;
  if (matching !== count || lines.length !== count) {
    return `expected ${count} lines "${line}", got ${matching} of ${lines.length} lines`;
  }
  return undefined;
}

/** Numbers from a worker's `BENCH {json}` line, or an empty object. */
export function workerReport(stdout: string): Record<string, number> {
  const line = stdout
    .split("\n")
    .reverse()
    .find((l) => l.startsWith(REPORT_PREFIX));
  if (!line) return {};
  const parsed = JSON.parse(line.slice(REPORT_PREFIX.length)) as Record<string, unknown>;
  return Object.fromEntries(
    Object.entries(parsed).filter((entry): entry is [string, number] => typeof entry[1] === "number"),
  );
}

export function sha256File(path: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const hash = createHash("sha256");
    createReadStream(path)
      .on("data", (chunk) => hash.update(chunk))
      .on("error", reject)
      .on("end", () => resolve(hash.digest("hex")));
  });
}

/** A digest of a directory tree: every regular file's relative path and content, in sorted order. */
export async function treeDigest(root: string): Promise<{ files: number; digest: string }> {
  const paths: string[] = [];
  const walk = async (dir: string): Promise<void> => {
    for (const entry of await readdir(dir, { withFileTypes: true })) {
      const path = join(dir, entry.name);
      if (entry.isDirectory()) await walk(path);
      else if (entry.isFile()) paths.push(relative(root, path));
    }
  };
  await walk(root);
  paths.sort();
  const hash = createHash("sha256");
  for (const path of paths) {
    hash.update(`${path}\0`);
    hash.update(await readFile(join(root, path)));
    hash.update("\0");
  }
  return { files: paths.length, digest: hash.digest("hex") };
}
