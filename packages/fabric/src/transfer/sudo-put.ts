import { randomBytes } from "node:crypto";
import { posix } from "node:path";
import { shellQuote } from "@fabric-ts/invoke";
import type { PutSource as CorePutSource, SftpSession } from "@fabric-ts/ssh-core";
import { TransferError } from "../errors/index.js";
import { remoteTempBeside } from "./atomic.js";

/** The part of a Connection that a sudo put needs. */
export interface SudoRunner {
  sudo(command: string, options: { hide: boolean; warn: boolean; user?: string }): Promise<unknown>;
}

export interface SudoPutOptions {
  /** `true`: root; a string: that user. */
  sudo: true | string;
  owner?: string | number;
  group?: string | number;
  mode: number;
  onProgress?: (transferred: number, total: number | undefined) => void;
  signal?: AbortSignal;
}

/**
 * Place a file where only root (or another user) may write: upload it into a fresh private
 * directory (0700) in the login user's home, `install -o -g -m` it under a temporary name beside the
 * target as the sudo user, then `mv -f` it into place. Both steps run in one sudo invocation; the
 * private copy is removed in every case and the staged copy when the move did not happen.
 */
export async function sudoPut(
  runner: SudoRunner,
  sftp: SftpSession,
  home: string,
  source: CorePutSource,
  target: string,
  options: SudoPutOptions,
): Promise<number> {
  const privateDir = posix.join(home, `.fabric-ts-put-${randomBytes(6).toString("hex")}`);
  const upload = posix.join(privateDir, "file");
  const staged = remoteTempBeside(target);
  await sftp.mkdir(privateDir, { mode: 0o700 });
  try {
    await sftp.chmod(privateDir, 0o711); // the sudo user may not be root: let it reach the file…
    const { bytes } = await sftp.fastPut(source, upload, {
      mode: 0o600,
      ...(options.onProgress ? { onProgress: options.onProgress } : {}),
      ...(options.signal ? { signal: options.signal } : {}),
    });
    if (options.sudo !== true) await sftp.chmod(upload, 0o644); // …and read it
    const install = [
      "install",
      ...(options.owner !== undefined ? ["-o", String(options.owner)] : []),
      ...(options.group !== undefined ? ["-g", String(options.group)] : []),
      "-m",
      options.mode.toString(8).padStart(4, "0"),
      upload,
      staged,
    ];
    const command = `${install.map((word) => shellQuote(word)).join(" ")} && mv -f ${shellQuote(staged)} ${shellQuote(target)} || { rc=$?; rm -f ${shellQuote(staged)}; exit $rc; }`;
    const result = (await runner.sudo(command, {
      hide: true,
      warn: true,
      ...(options.sudo !== true ? { user: options.sudo } : {}),
    })) as { exited?: number; stderr?: string };
    if (result.exited !== 0) {
      throw new TransferError(
        `sudo put to ${target} failed (exit ${result.exited}): ${(result.stderr ?? "").trim()}`,
      );
    }
    return bytes;
  } finally {
    await sftp.unlink(upload).catch(() => {});
    await sftp.rmdir(privateDir).catch(() => {});
  }
}

export interface SudoTreeOptions {
  sudo: true | string;
  owner?: string | number;
  group?: string | number;
  /** Copy permission bits (else the sudo user's umask decides). */
  preserveMode: boolean;
  preserveTimes: boolean;
}

/**
 * Place a whole uploaded tree as root (or another user): `upload` fills a private directory, then one
 * sudo command copies it over `target` with `cp -R` and chowns exactly the copied paths. Files are
 * written in place (not renamed), unlike single-file sudo puts. The private copy is always removed.
 */
export async function sudoPutTree(
  runner: SudoRunner,
  sftp: SftpSession,
  home: string,
  target: string,
  options: SudoTreeOptions,
  upload: (privateRoot: string) => Promise<void>,
): Promise<void> {
  const privateDir = posix.join(home, `.fabric-ts-put-${randomBytes(6).toString("hex")}`);
  const root = posix.join(privateDir, "tree");
  await sftp.mkdir(privateDir, { mode: 0o700 });
  try {
    if (options.sudo !== true) await sftp.chmod(privateDir, 0o711);
    await upload(root);
    if (options.sudo !== true) await sftp.chmod(root, 0o755);
    const preserve = [options.preserveMode ? "mode" : "", options.preserveTimes ? "timestamps" : ""]
      .filter(Boolean)
      .join(",");
    const q = shellQuote;
    const owner =
      options.owner !== undefined || options.group !== undefined
        ? `${options.owner ?? ""}${options.group !== undefined ? `:${options.group}` : ""}`
        : undefined;
    // The target directory itself is chowned only when this put created it.
    const steps = [
      `if [ -e ${q(target)} ]; then made=; else made=1; fi`,
      `mkdir -p ${q(target)}`,
      `cp -R ${preserve ? `--preserve=${preserve}` : "--no-preserve=all"} ${q(`${root}/.`)} ${q(`${target}/`)}`,
      ...(owner
        ? [
            `(cd ${q(root)} && find . -mindepth 1 -print0 | (cd ${q(target)} && xargs -0 -r chown -h ${q(owner)}))`,
            `{ [ -z "$made" ] || chown ${q(owner)} ${q(target)}; }`,
          ]
        : []),
    ];
    const result = (await runner.sudo(`${steps[0]}; ${steps.slice(1).join(" && ")}`, {
      hide: true,
      warn: true,
      ...(options.sudo !== true ? { user: options.sudo } : {}),
    })) as { exited?: number; stderr?: string };
    if (result.exited !== 0) {
      throw new TransferError(
        `sudo put to ${target} failed (exit ${result.exited}): ${(result.stderr ?? "").trim()}`,
      );
    }
  } finally {
    await sftp.rmdir(privateDir, { recursive: true }).catch(() => {});
  }
}
