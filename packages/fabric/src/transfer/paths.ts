import { posix } from "node:path";
import { TransferError } from "../errors/index.js";

/** What remote paths are resolved against. */
export interface RemoteBase {
  /** The remote login directory (where SFTP starts). */
  home: string;
  /** The Connection's effective `cd()` directory, `""` when none. */
  cwd: string;
}

/**
 * A remote path as a shell on the Connection would read it: `~` and `~/…` are the login directory,
 * relative paths are relative to the Connection's `cd()` (itself relative to home), absolute paths stay.
 * Fabric joined relative paths to the SFTP directory only and never expanded `~`.
 */
export function resolveRemotePath(path: string, base: RemoteBase): string {
  const expanded = expandTilde(path, base.home);
  if (expanded.startsWith("/")) return posix.normalize(expanded);
  const cwd = base.cwd === "" ? base.home : expandTilde(base.cwd, base.home);
  return posix.normalize(posix.join(cwd.startsWith("/") ? cwd : posix.join(base.home, cwd), expanded));
}

function expandTilde(path: string, home: string): string {
  if (path === "~") return home;
  if (path.startsWith("~/")) return posix.join(home, path.slice(2));
  return path;
}

/**
 * Python `str.format`-style placeholders in a local path (`{host}/{basename}`); `{{`/`}}` are braces.
 * @throws {TransferError} for a placeholder that has no value.
 */
export function interpolateLocalPath(
  template: string,
  values: Readonly<Record<string, string | number>>,
): string {
  return template.replace(/\{\{|\}\}|\{([^{}]*)\}/g, (token, name: string | undefined) => {
    if (token === "{{") return "{";
    if (token === "}}") return "}";
    const value = name === undefined ? undefined : values[name];
    if (value === undefined) {
      throw new TransferError(
        `Unknown placeholder {${name}} in local path ${JSON.stringify(template)} (known: ${Object.keys(values)
          .map((k) => `{${k}}`)
          .join(", ")})`,
      );
    }
    return String(value);
  });
}
