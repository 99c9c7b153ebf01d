import { execFile } from "node:child_process";
import { randomBytes } from "node:crypto";
import { createWriteStream } from "node:fs";
import { mkdir, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { promisify } from "node:util";

const run = promisify(execFile);

/** Writes `bytes` of random data (incompressible, so no transport gets a free ride). */
export async function writeRandomFile(path: string, bytes: number): Promise<void> {
  const out = createWriteStream(path);
  const chunk = 4 * 1024 * 1024;
  for (let written = 0; written < bytes; written += chunk) {
    const size = Math.min(chunk, bytes - written);
    if (!out.write(randomBytes(size)))
      await new Promise<void>((resolve) => out.once("drain", () => resolve()));
  }
  await new Promise<void>((resolve, reject) =>
    out.end((error?: Error | null) => (error ? reject(error) : resolve())),
  );
}

/** `files` random files of `size` bytes, 100 per sub-directory. */
export async function writeRandomTree(root: string, files: number, size: number): Promise<void> {
  for (let i = 0; i < files; i++) {
    const dir = join(root, `d${String(Math.floor(i / 100)).padStart(2, "0")}`);
    if (i % 100 === 0) await mkdir(dir, { recursive: true });
    await writeFile(join(dir, `f${String(i).padStart(4, "0")}.bin`), randomBytes(size));
  }
}

/** Gives a path (recursively) to the remote login user, as if it lived on the remote host. */
export async function chownToUser(path: string, user: string): Promise<void> {
  await run("chown", ["-R", `${user}:`, path]);
}

export async function copyTree(from: string, to: string): Promise<void> {
  await run("cp", ["-a", from, to]);
}
