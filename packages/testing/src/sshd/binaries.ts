import { accessSync, constants } from "node:fs";
import { delimiter, isAbsolute, join } from "node:path";

/** OpenSSH programs the harness runs. */
export type OpenSshProgram = "sshd" | "ssh" | "ssh-keygen" | "ssh-agent" | "ssh-add";

const ENV_OVERRIDE: Record<OpenSshProgram, string> = {
  sshd: "FABTS_SSHD",
  ssh: "FABTS_SSH",
  "ssh-keygen": "FABTS_SSH_KEYGEN",
  "ssh-agent": "FABTS_SSH_AGENT",
  "ssh-add": "FABTS_SSH_ADD",
};

// sshd usually lives in an sbin directory that is not on a non-root PATH.
const EXTRA_DIRS = [
  "/usr/sbin",
  "/usr/local/sbin",
  "/sbin",
  "/usr/bin",
  "/usr/local/bin",
  "/opt/homebrew/sbin",
];

const cache = new Map<OpenSshProgram, string | undefined>();

function isExecutable(path: string): boolean {
  try {
    accessSync(path, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

/** Absolute path of an OpenSSH program, or undefined when it is not installed. */
export function findProgram(name: OpenSshProgram): string | undefined {
  if (cache.has(name)) return cache.get(name);
  const override = process.env[ENV_OVERRIDE[name]];
  let found: string | undefined;
  if (override) {
    found = isAbsolute(override) && isExecutable(override) ? override : undefined;
  } else {
    const dirs = [...(process.env.PATH ?? "").split(delimiter).filter(Boolean), ...EXTRA_DIRS];
    found = dirs
      .map((dir) => join(dir, name))
      .find((candidate) => isAbsolute(candidate) && isExecutable(candidate));
  }
  cache.set(name, found);
  return found;
}

const INSTALL_HINT: Record<OpenSshProgram, string> = {
  sshd: "install the OpenSSH server (Debian/Ubuntu: `apt-get install openssh-server`)",
  ssh: "install the OpenSSH client (Debian/Ubuntu: `apt-get install openssh-client`)",
  "ssh-keygen": "install the OpenSSH client (Debian/Ubuntu: `apt-get install openssh-client`)",
  "ssh-agent": "install the OpenSSH client (Debian/Ubuntu: `apt-get install openssh-client`)",
  "ssh-add": "install the OpenSSH client (Debian/Ubuntu: `apt-get install openssh-client`)",
};

/** Error text for a missing program: what is missing and how to get it. */
export function missingProgramMessage(name: OpenSshProgram): string {
  return (
    `${name} not found (looked on PATH and in ${EXTRA_DIRS.join(", ")}; override with ${ENV_OVERRIDE[name]}=/abs/path). ` +
    `To fix: ${INSTALL_HINT[name]}, or run scripts/provision-test-host.sh as root.`
  );
}

/** Absolute path of an OpenSSH program; throws a how-to-fix error when it is missing. */
export function requireProgram(name: OpenSshProgram): string {
  const path = findProgram(name);
  if (!path) throw new Error(missingProgramMessage(name));
  return path;
}
