/**
 * Reads one config file (and its Includes) into the option store, tracking the Host/Match
 * "active" state and collecting bad lines the way OpenSSH does: every bad line is reported, then
 * the file fails with "terminating, N bad configuration options".
 */
import { closeSync, fstatSync, openSync, readFileSync, type Stats, statSync } from "node:fs";
import { StatCache } from "../cache/stat-cache.js";
import { type DirectiveContext, lookupKeyword, runDirective } from "./directives.js";
import { LineError, type SshConfigDiagnostic, SshConfigError, visLog } from "./errors.js";
import { glob } from "./glob.js";
import { evaluateMatch } from "./match.js";
import type { OptionStore } from "./options.js";
import { matchPattern } from "./patterns.js";
import type { ResolutionState } from "./resolution-state.js";
import { argvSplit, type Cursor, strdelim, stripLineEnd } from "./tokenize.js";

export interface ReadFlags {
  /** A user file: `~` allowed in Include, relative Includes live in ~/.ssh. */
  userConfig: boolean;
  /** Refuse files writable by others (user config and every included file). */
  checkPermissions: boolean;
  /** Inside an inactive block: parse for errors, never apply. */
  neverMatch: boolean;
}

const MAX_DEPTH = 16;

/**
 * Lines of config files already read, reused while the file's stat is unchanged: every Connection
 * resolves its host against the same files. Only the reading is cached; each host still evaluates
 * every line (Host/Match depend on it), as OpenSSH does.
 */
const fileLines = new StatCache<readonly string[]>();

/** A line split into keyword and arguments; `args` is null when its quotes do not match. */
interface LineTokens {
  readonly keyword: string;
  readonly rest: string;
  readonly args: readonly string[] | null;
}

/**
 * Tokens of cached files' lines, by line index (null: blank or comment). Tokenising is the same for
 * every host, and it was most of the cost of resolving many hosts against a long config.
 */
const fileTokens = new WeakMap<readonly string[], (LineTokens | null | undefined)[]>();

function tokensOf(lines: readonly string[], index: number): LineTokens | null {
  let cache = fileTokens.get(lines);
  if (!cache) {
    cache = new Array(lines.length);
    fileTokens.set(lines, cache);
  }
  let tokens = cache[index];
  if (tokens === undefined) {
    tokens = tokenizeLine(lines[index]!);
    cache[index] = tokens;
  }
  return tokens;
}

/** Keyword (lower case) and arguments of a line, or null for a blank line or a comment. */
function tokenizeLine(rawLine: string): LineTokens | null {
  const line = stripLineEnd(rawLine);
  if (line === "") return null;
  const cursor: Cursor = { rest: line };
  let keyword = strdelim(cursor);
  if (keyword === null) return null;
  if (keyword === "") keyword = strdelim(cursor);
  if (keyword === null || keyword === "" || keyword.startsWith("\n") || keyword.startsWith("#")) return null;
  const rest = cursor.rest === null ? "" : cursor.rest.replace(/^[ \t\r\n]+/, "");
  return { keyword: keyword.toLowerCase(), rest, args: rest === "" ? [] : argvSplit(rest) };
}

/** The file's lines, or null when it cannot be opened. Owner/permissions are checked on every read. */
function readLines(path: string, checkPermissions: boolean): readonly string[] | null {
  const checkedAt = Date.now();
  const known = statOrUndefined(path);
  const cached = known && fileLines.get(path, known);
  if (known && cached) {
    checkOwner(path, known, checkPermissions);
    return cached;
  }
  let text: string;
  let fd: number;
  try {
    fd = openSync(path, "r");
  } catch {
    return null;
  }
  let st: Stats;
  try {
    st = fstatSync(fd);
    checkOwner(path, st, checkPermissions);
    text = st.isDirectory() ? "" : readFileSync(fd, "latin1");
  } finally {
    closeSync(fd);
  }
  const lines = text.split("\n");
  if (lines[lines.length - 1] === "") lines.pop();
  fileLines.set(path, st, lines, checkedAt);
  return lines;
}

function statOrUndefined(path: string): Stats | undefined {
  try {
    return statSync(path);
  } catch {
    return undefined;
  }
}

function checkOwner(path: string, st: Stats, checkPermissions: boolean): void {
  if (!checkPermissions) return;
  const uid = process.getuid?.() ?? 0;
  if ((st.uid !== 0 && st.uid !== uid) || (st.mode & 0o022) !== 0) {
    throw new SshConfigError("BAD_PERMISSIONS", `Bad owner or permissions on ${path}`, { file: path });
  }
}

interface Active {
  value: boolean;
}

/** Reads `path`; returns false when it cannot be opened (the caller decides whether that matters). */
export function readConfigFile(
  path: string,
  store: OptionStore,
  session: ResolutionState,
  flags: ReadFlags,
  active: Active = { value: true },
  depth = 0,
): boolean {
  if (depth > MAX_DEPTH)
    throw new SshConfigError("INCLUDE_DEPTH", "Too many recursive configuration includes");
  const lines = readLines(path, flags.checkPermissions);
  if (lines === null) return false;
  const diagnostics: SshConfigDiagnostic[] = [];
  let bad = 0;
  lines.forEach((line, index) => {
    const lineNo = index + 1;
    try {
      processLine(line, path, lineNo, store, session, flags, active, depth, false, tokensOf(lines, index));
    } catch (error) {
      if (!(error instanceof LineError)) throw error;
      bad++;
      for (const message of error.message.split("\n")) {
        diagnostics.push({ file: path, line: lineNo, message });
        session.warnings.push(visLog(message));
      }
    }
  });
  if (bad > 0) {
    const message = [
      ...diagnostics.map((d) => d.message),
      `${path}: terminating, ${bad} bad configuration options`,
    ].join("\n");
    throw new SshConfigError("BAD_CONFIGURATION", message, {
      file: path,
      line: diagnostics[0]?.line ?? 0,
      diagnostics,
    });
  }
  return true;
}

/** process_config_line(): one line of a file (or a `-o` option when `file` is the command line). */
export function processLine(
  rawLine: string,
  file: string,
  lineNo: number,
  store: OptionStore,
  session: ResolutionState,
  flags: ReadFlags,
  active: Active,
  depth: number,
  commandLine = false,
  tokens: LineTokens | null = tokenizeLine(rawLine),
): void {
  if (tokens === null) return;
  const { keyword, rest } = tokens;
  const prefix = `${file} line ${lineNo}`;
  if (rest === "") throw new LineError(`${prefix}: no argument after keyword "${keyword}"`);
  const { name, kind } = lookupKeyword(keyword, store.str("ignoreunknown"));
  if (kind === "bad") throw new LineError(`${file}: line ${lineNo}: Bad configuration option: ${keyword}`);
  if (tokens.args === null) throw new LineError(`${prefix}: invalid quotes`);
  // Directives consume their arguments: each line gets its own copy.
  const args = [...tokens.args];
  if (kind === "ignored" || kind === "deprecated" || kind === "ignored-unknown") return;
  if (kind === "unsupported") {
    session.warnings.push(visLog(`${prefix}: Unsupported option "${keyword}"`));
    return;
  }
  const ctx: DirectiveContext = {
    store,
    keyword,
    file,
    line: lineNo,
    active: active.value,
    args,
    raw: rest,
    userConfig: flags.userConfig,
    commandLine,
    env: session.env,
    next: () => args.shift(),
    warn: (message) => session.warnings.push(visLog(message)),
    block: (kind) => {
      if (commandLine) {
        throw new LineError(
          kind === "include"
            ? "Include directive not supported as a command-line option"
            : "Host directive not supported as a command-line option",
        );
      }
      if (kind === "host") hostLine(ctx, session, flags, active);
      else if (kind === "match") {
        const matched = evaluateMatch(rest, store, session, { file, line: lineNo });
        active.value = flags.neverMatch ? false : matched;
        args.length = 0;
      } else includeLine(ctx, store, session, flags, active, depth);
    },
  };
  runDirective(name, ctx);
  if (args.length > 0) throw new LineError(`${prefix}: keyword ${keyword} extra arguments at end of line`);
}

function hostLine(ctx: DirectiveContext, session: ResolutionState, flags: ReadFlags, active: Active): void {
  active.value = false;
  for (let arg = ctx.next(); arg !== undefined; arg = ctx.next()) {
    if (arg === "")
      throw new LineError(`${ctx.file} line ${ctx.line}: keyword ${ctx.keyword} empty argument`);
    if (flags.neverMatch) {
      ctx.args.length = 0;
      break;
    }
    const negated = arg.startsWith("!");
    if (matchPattern(session.host, negated ? arg.slice(1) : arg)) {
      if (negated) {
        active.value = false;
        ctx.args.length = 0;
        break;
      }
      active.value = true;
    }
  }
}

function includeLine(
  ctx: DirectiveContext,
  store: OptionStore,
  session: ResolutionState,
  flags: ReadFlags,
  active: Active,
  depth: number,
): void {
  const prefix = `${ctx.file} line ${ctx.line}`;
  for (let arg = ctx.next(); arg !== undefined; arg = ctx.next()) {
    if (arg === "") throw new LineError(`${prefix}: keyword ${ctx.keyword} empty argument`);
    if (arg.startsWith("~") && !flags.userConfig) throw new LineError(`${prefix}: bad include path ${arg}.`);
    const pattern =
      arg.startsWith("/") || arg.startsWith("~")
        ? arg
        : `${flags.userConfig ? "~/.ssh" : session.systemDir}/${arg}`;
    const outerActive = active.value;
    for (const path of glob(pattern, session.globHome)) {
      const opened = readConfigFile(
        path,
        store,
        session,
        {
          userConfig: flags.userConfig,
          checkPermissions: true,
          neverMatch: flags.neverMatch || !outerActive,
        },
        active,
        depth + 1,
      );
      if (!opened) {
        throw new SshConfigError("CANNOT_OPEN", `Can't open user config file ${path}: Permission denied`, {
          file: path,
        });
      }
      // A Match inside the included file must not change the including file's state.
      active.value = outerActive;
    }
  }
}
