import { posix } from "node:path";
import type { SftpSession } from "@fabric-ts/ssh-core";
import { compileGlob, hasGlobSyntax } from "./glob.js";

/** A remote glob split into the directory it starts from and the pattern below it. */
export interface RemoteGlob {
  /** Absolute directory without glob syntax (`/var/log` for `/var/log/**\/*.gz`). */
  base: string;
  /** Path segments below `base`, each a glob (or `**`). */
  segments: string[];
}

export function splitRemoteGlob(absolute: string): RemoteGlob {
  const parts = absolute.split("/").filter((part) => part !== "");
  const first = parts.findIndex((part) => hasGlobSyntax(part));
  const staticParts = first === -1 ? parts : parts.slice(0, first);
  return { base: `/${staticParts.join("/")}`, segments: first === -1 ? [] : parts.slice(first) };
}

/** A match: its path relative to the glob's base, and whether it is a directory. */
export interface GlobMatch {
  path: string;
  isDirectory: boolean;
}

/**
 * Expand a remote glob over SFTP, one directory level per segment (`**` walks down), reading only
 * the directories the pattern can reach. Unreadable directories met along the way are passed over.
 */
export async function expandRemoteGlob(sftp: SftpSession, glob: RemoteGlob): Promise<GlobMatch[]> {
  const matches = new Map<string, boolean>();
  const step = async (relative: string, index: number): Promise<void> => {
    const segment = glob.segments[index];
    if (segment === undefined) return;
    const last = index === glob.segments.length - 1;
    const dir = relative === "" ? glob.base : posix.join(glob.base, relative);
    const listing = await sftp.readdir(dir).catch(() => null);
    if (!listing) return;
    if (segment === "**") {
      // `**` matches nothing here (go on with the next segment) or one more directory level.
      if (last) {
        await Promise.all(
          listing.map(async ({ filename, attrs }) => {
            const path = relative === "" ? filename : `${relative}/${filename}`;
            matches.set(path, attrs.isDirectory());
            if (attrs.isDirectory()) await step(path, index);
          }),
        );
        return;
      }
      await step(relative, index + 1);
      await Promise.all(
        listing
          .filter(({ attrs }) => attrs.isDirectory())
          .map(({ filename }) => step(relative === "" ? filename : `${relative}/${filename}`, index)),
      );
      return;
    }
    const pattern = compileGlob(`/${segment}`);
    await Promise.all(
      listing.map(async ({ filename, attrs }) => {
        if (filename.startsWith(".") && !segment.startsWith(".")) return; // like the shell
        if (!pattern.matches(filename, attrs.isDirectory())) return;
        const path = relative === "" ? filename : `${relative}/${filename}`;
        let isDirectory = attrs.isDirectory();
        if (attrs.isSymbolicLink()) {
          isDirectory =
            (await sftp.stat(posix.join(glob.base, path)).catch(() => null))?.isDirectory() ?? false;
        }
        if (last) matches.set(path, isDirectory);
        else if (isDirectory) await step(path, index + 1);
      }),
    );
  };
  await step("", 0);
  return [...matches]
    .map(([path, isDirectory]) => ({ path, isDirectory }))
    .sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
}
