import { lstatSync, mkdirSync } from "node:fs";
import { hostname, tmpdir, userInfo } from "node:os";
import { join } from "node:path";
import { ControlDirError } from "../errors.js";
import { connectionHash } from "../ssh-config/match.js";

export { ControlDirError };

/**
 * Where warm-connection masters put their sockets: `$XDG_RUNTIME_DIR/fabric-ts` when the session has
 * a runtime directory, else `<tmpdir>/fabric-ts-<uid>`. Never OpenSSH's ControlPath, so an `ssh`
 * master and ours never meet on one socket.
 */
export function defaultControlDir(): string {
  const runtime = process.env.XDG_RUNTIME_DIR;
  if (runtime) return join(runtime, "fabric-ts");
  return join(tmpdir(), `fabric-ts-${userInfo().uid}`);
}

/**
 * Create the directory (0700) if missing, then check it as OpenSSH checks its ControlPath's: a real
 * directory (not a symlink), owned by this user, with no access for group or others. Anyone who can
 * write there could impersonate a master, so a directory that fails is never used.
 * @throws {ControlDirError}
 */
export function ensureControlDir(dir: string): string {
  try {
    mkdirSync(dir, { recursive: true, mode: 0o700 });
  } catch (error) {
    throw new ControlDirError(
      `Cannot create the warm-connection directory ${dir}: ${(error as Error).message}`,
    );
  }
  const stat = lstatSync(dir);
  if (!stat.isDirectory()) throw new ControlDirError(`${dir} is not a directory`);
  const uid = process.getuid?.();
  if (uid !== undefined && stat.uid !== uid) {
    throw new ControlDirError(`${dir} is owned by uid ${stat.uid}, not by this user (uid ${uid})`);
  }
  if ((stat.mode & 0o077) !== 0) {
    throw new ControlDirError(
      `${dir} is accessible to other users (mode ${(stat.mode & 0o777).toString(8)}); it must be 0700`,
    );
  }
  return dir;
}

/** One destination as OpenSSH keys a ControlPath with `%C`. */
export interface MasterDestination {
  host: string;
  port: number;
  username: string;
}

/** The socket of `destination`'s master: `<dir>/<%C>`, %C being OpenSSH's hash of `%l%h%p%r`. */
export function controlSocketPath(dir: string, destination: MasterDestination): string {
  return join(
    dir,
    connectionHash(hostname(), destination.host, String(destination.port), destination.username),
  );
}
