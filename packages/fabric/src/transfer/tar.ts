import { spawn } from "node:child_process";
import { stat } from "node:fs/promises";
import type { Readable } from "node:stream";
import { shellQuote } from "@fabric-ts/invoke";
import type { SshClient } from "@fabric-ts/ssh-core";
import type { Connection } from "../connection/connection.js";
import { TransferError } from "../errors/index.js";
import type { TransferOptions } from "./options.js";
import type { ProgressTracker } from "./progress.js";
import { TarWatcher } from "./tar-progress.js";
import type { Tree } from "./tree.js";

/** Below this many files SFTP's per-file round trips cost less than starting two tar processes. */
const TAR_MIN_FILES = 64;
/** Above this average size the files are not "small": SFTP's pipelining is as fast and atomic. */
const TAR_MAX_AVERAGE_BYTES = 256 * 1024;

let localTar: Promise<boolean> | undefined;
const remoteTar = new WeakMap<object, Promise<boolean>>();

/**
 * `auto` picks tar for many small files when both ends have GNU tar and the destination does not
 * exist yet: nothing is overwritten, so tar's in-place writes lose no atomicity.
 */
export async function chooseTar(
  connection: Connection,
  tree: Tree,
  destination: string,
  direction: "put" | "get",
  options: TransferOptions,
): Promise<boolean> {
  const files = tree.entries.filter((e) => e.type === "file");
  if (files.length < TAR_MIN_FILES) return false;
  const bytes = files.reduce((sum, e) => sum + e.size, 0);
  if (bytes / files.length > TAR_MAX_AVERAGE_BYTES) return false;
  if (options.signal) return false; // SFTP stops cleanly between requests; keep aborts predictable
  const exists =
    direction === "put"
      ? await (await connection.sftp()).exists(destination).catch(() => true)
      : await stat(destination).then(
          () => true,
          () => false,
        );
  if (exists) return false;
  const [here, there] = await Promise.all([hasLocalGnuTar(), hasRemoteGnuTar(connection)]);
  return here && there;
}

function hasLocalGnuTar(): Promise<boolean> {
  localTar ??= new Promise((resolve) => {
    const child = spawn("tar", ["--version"], { stdio: ["ignore", "pipe", "ignore"] });
    let out = "";
    child.stdout.on("data", (chunk: Buffer) => {
      out += chunk.toString();
    });
    child.on("error", () => resolve(false));
    child.on("close", (code) => resolve(code === 0 && out.includes("GNU tar")));
  });
  return localTar;
}

/** Asked once per SSH connection. */
async function hasRemoteGnuTar(connection: Connection): Promise<boolean> {
  const client = await connection.openClient();
  let known = remoteTar.get(client);
  if (!known) {
    known = client.run("tar --version", { stdin: null }).then(
      (result) => result.exitCode === 0 && result.stdout.includes("GNU tar"),
      () => false,
    );
    remoteTar.set(client, known);
  }
  return known;
}

function nameList(tree: Tree): Buffer {
  return Buffer.from(tree.entries.map((e) => `${e.path}\0`).join(""));
}

function extractFlags(options: TransferOptions): string[] {
  return [
    "--no-same-owner",
    ...((options.preserveMode ?? true) ? ["-p"] : []),
    ...(options.preserveTimes ? [] : ["-m"]),
  ];
}

function createFlags(options: TransferOptions): string[] {
  return ["--null", "--no-recursion", "-T", "-", ...(options.symlinks === "follow" ? ["-h"] : [])];
}

function watcher(tracker: ProgressTracker): TarWatcher {
  const perFile = new Map<string, (transferred: number, total: number | undefined) => void>();
  const done = new Map<string, number>();
  return new TarWatcher({
    data(path, size, bytes) {
      let report = perFile.get(path);
      if (!report) {
        report = tracker.file(path, size);
        perFile.set(path, report);
      }
      const sofar = (done.get(path) ?? 0) + bytes;
      done.set(path, sofar);
      report(sofar, size);
    },
    end(path, size, type) {
      if (type === "directory") return;
      perFile.delete(path);
      done.delete(path);
      tracker.fileDone(path, size);
    },
  });
}

/** `tar -c` here, piped through the SSH exec channel into `tar -x` there. */
export async function putTreeWithTar(
  client: SshClient,
  tree: Tree,
  remoteRoot: string,
  options: TransferOptions,
  tracker: ProgressTracker,
): Promise<void> {
  const local = spawn("tar", ["-C", tree.root, ...createFlags(options), "-cf", "-"], {
    stdio: ["pipe", "pipe", "pipe"],
  });
  const localExit = childExit(local, "local tar -c");
  local.stdin.end(nameList(tree));
  const stream = local.stdout.pipe(watcher(tracker));
  const remote = client.exec(
    `mkdir -p ${shellQuote(remoteRoot)} && tar -C ${shellQuote(remoteRoot)} -xf - ${extractFlags(options).join(" ")}`,
    { stdin: stream },
  );
  const remoteErr = collect(remote.stderr);
  remote.stdout.resume();
  const [exit] = await Promise.all([remote.done, localExit]);
  if (exit.exitCode !== 0) {
    throw new TransferError(
      `remote tar -x into ${remoteRoot} failed (exit ${exit.exitCode}): ${(await remoteErr).trim()}`,
    );
  }
}

/** `tar -c` there (names sent on stdin), streamed back into `tar -x` here. */
export async function getTreeWithTar(
  client: SshClient,
  tree: Tree,
  localRoot: string,
  options: TransferOptions,
  tracker: ProgressTracker,
): Promise<void> {
  const { mkdir } = await import("node:fs/promises");
  await mkdir(localRoot, { recursive: true });
  const local = spawn("tar", ["-C", localRoot, "-xf", "-", ...extractFlags(options)], {
    stdio: ["pipe", "ignore", "pipe"],
  });
  const localExit = childExit(local, "local tar -x");
  const remote = client.exec(`tar -C ${shellQuote(tree.root)} ${createFlags(options).join(" ")} -cf -`, {
    stdin: nameList(tree),
  });
  const remoteErr = collect(remote.stderr);
  remote.stdout.pipe(watcher(tracker)).pipe(local.stdin);
  const [exit] = await Promise.all([remote.done, localExit]);
  if (exit.exitCode !== 0) {
    throw new TransferError(
      `remote tar -c of ${tree.root} failed (exit ${exit.exitCode}): ${(await remoteErr).trim()}`,
    );
  }
}

function childExit(child: ReturnType<typeof spawn>, what: string): Promise<void> {
  const stderr = child.stderr ? collect(child.stderr) : Promise.resolve("");
  return new Promise((resolve, reject) => {
    child.on("error", (error) => reject(new TransferError(`${what}: ${error.message}`, { cause: error })));
    child.on("close", (code) => {
      if (code === 0) return resolve();
      void stderr.then((text) => reject(new TransferError(`${what} failed (exit ${code}): ${text.trim()}`)));
    });
  });
}

function collect(stream: Readable): Promise<string> {
  const chunks: Buffer[] = [];
  stream.on("data", (chunk: Buffer) => chunks.push(chunk));
  return new Promise((resolve) => {
    stream.on("end", () => resolve(Buffer.concat(chunks).toString()));
    stream.on("close", () => resolve(Buffer.concat(chunks).toString()));
  });
}
