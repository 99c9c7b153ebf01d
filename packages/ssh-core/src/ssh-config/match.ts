/**
 * `Match` evaluation with OpenSSH 9.2's criteria (all, canonical, final, exec, host,
 * originalhost, user, localuser; `!` negation) and its error texts. `exec` runs only while every
 * earlier criterion matched, like ssh.
 */
import { createHash } from "node:crypto";
import { LineError, SshConfigError } from "./errors.js";
import type { OptionStore } from "./options.js";
import { matchHostname, matchPatternList } from "./patterns.js";
import type { ResolutionState } from "./resolution-state.js";
import { type Cursor, strdelim } from "./tokenize.js";
import { percentExpand } from "./tokens.js";

export function connectionHash(localHost: string, host: string, port: string, user: string): string {
  return createHash("sha1").update(`${localHost}${host}${port}${user}`).digest("hex");
}

/** The host name Match criteria see at this point of the read. */
function currentHost(store: OptionStore, session: ResolutionState): string {
  const hostname = store.str("hostname");
  if (session.finalPass) return hostname ?? session.host;
  if (hostname !== undefined) return percentExpand(hostname, { h: session.host });
  return session.host;
}

/** True/false for a Match line; throws LineError for a bad condition. */
export function evaluateMatch(
  raw: string,
  store: OptionStore,
  session: ResolutionState,
  where: { file: string; line: number },
): boolean {
  const prefix = `${where.file} line ${where.line}`;
  const bad = (first?: string): never => {
    throw new LineError(
      first === undefined ? `${prefix}: Bad Match condition` : `${first}\n${prefix}: Bad Match condition`,
    );
  };
  const host = currentHost(store, session);
  const port = String(store.num("port") ?? 22);
  const remoteUser = store.str("user") ?? session.local.user;
  const cursor: Cursor = { rest: raw };
  let result = true;
  let attributes = 0;
  for (let attrib = strdelim(cursor); attrib !== null && attrib !== ""; attrib = strdelim(cursor)) {
    if (attrib.startsWith("#")) break;
    const original = attrib;
    const negate = attrib.startsWith("!");
    const given = negate ? attrib.slice(1) : attrib;
    const name = given.toLowerCase();
    if (name === "all") {
      const next = strdelim(cursor);
      if (attributes > 1 || (next !== null && next !== "" && !next.startsWith("#"))) {
        bad(`${prefix}: '${original}' cannot be combined with other Match attributes`);
      }
      if (result) result = !negate;
      return result;
    }
    attributes++;
    if (name === "canonical" || name === "final") {
      if (name === "final") session.wantFinalPass = true;
      if (session.finalPass === negate) result = false;
      continue;
    }
    const arg = strdelim(cursor);
    if (arg === null || arg === "" || arg.startsWith("#")) bad(`Missing Match criteria for ${given}`);
    const criteria = arg as string;
    let matched: boolean;
    switch (name) {
      case "host":
        matched = matchHostname(host, criteria) === 1;
        break;
      case "originalhost":
        matched = matchHostname(session.originalHost, criteria) === 1;
        break;
      case "user":
        matched = matchPatternList(remoteUser, criteria) === 1;
        break;
      case "localuser":
        matched = matchPatternList(session.local.user, criteria) === 1;
        break;
      case "exec": {
        const local = session.local;
        const command = percentExpand(criteria, {
          C: connectionHash(local.hostname, host, port, remoteUser),
          L: local.hostname.split(".")[0] ?? "",
          d: local.homeDir,
          h: host,
          k: store.str("hostkeyalias") ?? host,
          l: local.hostname,
          n: session.originalHost,
          p: port,
          r: remoteUser,
          u: local.user,
          i: String(local.uid),
        });
        if (!result) continue; // ssh skips exec once an earlier criterion failed
        const { status, stderr } = session.runExec(command);
        if (stderr !== undefined && stderr !== "")
          session.warnings.push(...stderr.replace(/\n$/, "").split("\n"));
        if (status === "abnormal") {
          throw new SshConfigError(
            "MATCH_EXEC_FAILED",
            `${prefix}: match exec '${command.slice(0, 100)}' error`,
            where,
          );
        }
        matched = status === 0;
        break;
      }
      default:
        bad(`Unsupported Match attribute ${given}`);
        matched = false;
    }
    if (matched === negate) result = false;
  }
  if (attributes === 0) bad("One or more attributes required for Match");
  return result;
}
