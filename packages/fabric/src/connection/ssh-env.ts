import { matchPattern, type ResolvedSshConfig } from "@fabric-ts/ssh-core/ssh-config";

/**
 * The environment ssh_config asks to send with every command, as OpenSSH does: local variables
 * matching `SendEnv` patterns, then `SetEnv` assignments (which win). Empty without either directive.
 */
export function sshConfigEnvironment(
  sshConfig: Pick<ResolvedSshConfig, "sendEnv" | "setEnv">,
  localEnv: NodeJS.ProcessEnv = process.env,
): Record<string, string> {
  const env: Record<string, string> = {};
  const patterns = sshConfig.sendEnv;
  if (patterns.length > 0) {
    const sends = sendEnvMatcher(patterns);
    // Names first, values only for the few that match: every read of process.env is a getenv().
    for (const name of Object.keys(localEnv)) {
      if (!sends(name)) continue;
      const value = localEnv[name];
      if (value !== undefined) env[name] = value;
    }
  }
  for (const assignment of sshConfig.setEnv) {
    const eq = assignment.indexOf("=");
    if (eq > 0) env[assignment.slice(0, eq)] = assignment.slice(eq + 1);
  }
  return env;
}

/** Per pattern list, whether a variable name matches: this runs for every command of a Connection. */
const matchers = new Map<string, (name: string) => boolean>();

function sendEnvMatcher(patterns: readonly string[]): (name: string) => boolean {
  const key = patterns.join("\n");
  let matcher = matchers.get(key);
  if (!matcher) {
    const known = new Map<string, boolean>();
    matcher = (name) => {
      let sends = known.get(name);
      if (sends === undefined) {
        sends = patterns.some((pattern) => matchPattern(name, pattern));
        known.set(name, sends);
      }
      return sends;
    };
    if (matchers.size >= 32) matchers.clear();
    matchers.set(key, matcher);
  }
  return matcher;
}
