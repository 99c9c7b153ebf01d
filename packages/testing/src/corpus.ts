// Case files of a test corpus (the ssh_config and inventory conformance suites use them): a header of
// `key: value` lines, then each file the case needs after a `--- <path>` line:
//
//   args: -G -F $HOME/config foo
//   env: SHELL=/bin/sh
//   --- config
//   Host foo
//     Port 2200
import { chmodSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";

/** One parsed case file. */
export interface CaseFile {
  /** The file name without its extension. */
  name: string;
  /** Header entries in file order (a key may repeat); values are trimmed. */
  header: { key: string; value: string }[];
  /** Relative path → content (each line ends with "\n"). */
  files: Record<string, string>;
}

const HEADER_KEY = /^[A-Za-z_][\w-]*$/;

/** Parses a case file's text. Header lines that are not `key: value` are ignored (comments, blanks). */
export function parseCaseFile(name: string, text: string): CaseFile {
  const result: CaseFile = { name, header: [], files: {} };
  let current: string | undefined;
  const lines = text.split("\n");
  if (lines[lines.length - 1] === "") lines.pop();
  for (const line of lines) {
    if (line.startsWith("--- ")) {
      current = line.slice(4).trim();
      result.files[current] = "";
    } else if (current !== undefined) {
      result.files[current] += `${line}\n`;
    } else {
      const colon = line.indexOf(":");
      const key = line.slice(0, colon);
      if (colon > 0 && HEADER_KEY.test(key)) result.header.push({ key, value: line.slice(colon + 1).trim() });
    }
  }
  return result;
}

/** Every `*<extension>` file in `dir`, parsed, in file-name order. */
export function loadCaseFiles(dir: string, extension = ".case"): CaseFile[] {
  return readdirSync(dir)
    .filter((file) => file.endsWith(extension))
    .sort()
    .map((file) => parseCaseFile(file.slice(0, -extension.length), readFileSync(join(dir, file), "utf8")));
}

/**
 * Writes a case's files under `dir`, creating folders. `fileMode`/`dirMode` set exact modes (the file mode
 * is applied past the umask), for programs that check them, such as ssh with its config files.
 */
export function writeCaseFiles(
  dir: string,
  files: Record<string, string>,
  options: { fileMode?: number; dirMode?: number } = {},
): void {
  for (const [path, content] of Object.entries(files)) {
    const full = join(dir, path);
    mkdirSync(dirname(full), {
      recursive: true,
      ...(options.dirMode === undefined ? {} : { mode: options.dirMode }),
    });
    if (options.fileMode === undefined) {
      writeFileSync(full, content);
    } else {
      writeFileSync(full, content, { mode: options.fileMode });
      chmodSync(full, options.fileMode);
    }
  }
}
