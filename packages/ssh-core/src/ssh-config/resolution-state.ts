/**
 * What a resolution knows about the local side and the destination while reading files: the
 * names Match criteria compare against, the token values, and how `Match exec` runs commands.
 */
import type { Env } from "./tokens.js";

export interface LocalIdentity {
  /** Local user name (%u, Match localuser). */
  user: string;
  uid: number;
  /** The user's home from the password database (%d, `~` in paths, ~/.ssh/config). */
  homeDir: string;
  /** Local host name (%l); %L is its first component. */
  hostname: string;
}

/** Exit status of a `Match exec` command, or "abnormal" when it died from a signal. */
export type ExecRunner = (command: string) => { status: number | "abnormal"; stderr?: string };

export interface ResolutionState {
  readonly local: LocalIdentity;
  readonly env: Env;
  /** The destination as given on the command line (%n, Match originalhost). */
  readonly originalHost: string;
  /** The name Host lines are matched against (the destination, or the canonical name on the final pass). */
  host: string;
  finalPass: boolean;
  wantFinalPass: boolean;
  readonly runExec: ExecRunner;
  /** Directory that `~` means in Include globs ($HOME, as glob(3) uses it). */
  readonly globHome: string;
  /** Where relative Include paths of the system file live. */
  readonly systemDir: string;
  /** Printed-but-not-fatal messages (unsupported options, agent socket warnings …). */
  readonly warnings: string[];
}
