import { chmodSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { processScratchDir } from "./scratch.js";

// The secret reaches the askpass program through its environment, never through a file or argv.
// A retry prompt gets no answer: ssh-add would otherwise ask again forever with a wrong secret.
const SCRIPT = `#!/bin/sh
case "$1" in *"try again"*|*"Bad passphrase"*) exit 1 ;; esac
printf '%s\\n' "$FABTS_ASKPASS_SECRET"
`;

let scriptPath: string | undefined;

function askpassScript(): string {
  if (!scriptPath) {
    scriptPath = join(processScratchDir(), "askpass.sh");
    writeFileSync(scriptPath, SCRIPT);
    chmodSync(scriptPath, 0o700);
  }
  return scriptPath;
}

/**
 * Environment that makes ssh / ssh-add answer every password or passphrase prompt with `secret`,
 * without a terminal (SSH_ASKPASS_REQUIRE=force).
 */
export function askpassEnv(secret: string): NodeJS.ProcessEnv {
  return { SSH_ASKPASS: askpassScript(), SSH_ASKPASS_REQUIRE: "force", FABTS_ASKPASS_SECRET: secret };
}

/** Environment that makes any prompt fail at once instead of waiting for a terminal. */
export function noAskpassEnv(): NodeJS.ProcessEnv {
  return { SSH_ASKPASS: "/bin/false", SSH_ASKPASS_REQUIRE: "force" };
}
