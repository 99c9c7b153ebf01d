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
    for (const [name, value] of Object.entries(localEnv)) {
      if (value !== undefined && patterns.some((pattern) => matchPattern(name, pattern))) env[name] = value;
    }
  }
  for (const assignment of sshConfig.setEnv) {
    const eq = assignment.indexOf("=");
    if (eq > 0) env[assignment.slice(0, eq)] = assignment.slice(eq + 1);
  }
  return env;
}
