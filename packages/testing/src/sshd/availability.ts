import { existsSync } from "node:fs";
import { isRoot } from "../users.js";
import { findProgram, missingProgramMessage, type OpenSshProgram } from "./binaries.js";

/** What the sshd harness can do on this machine, decided without starting anything. */
export interface SshdAvailability {
  available: boolean;
  /** Why the harness cannot run (set when `available` is false). */
  reason: string | undefined;
  /** sudo tests need root (to create the test user and its sudoers entry) and sudo itself. */
  sudo: boolean;
  sudoReason: string | undefined;
}

const REQUIRED: OpenSshProgram[] = ["sshd", "ssh", "ssh-keygen", "ssh-agent", "ssh-add"];

/** Checks for the OpenSSH programs (and, for sudo tests, root and sudo). */
export function sshdAvailability(): SshdAvailability {
  const missing = REQUIRED.filter((program) => findProgram(program) === undefined);
  const reason = missing.length ? missing.map(missingProgramMessage).join(" ") : undefined;
  let sudoReason: string | undefined;
  if (!isRoot()) sudoReason = "sudo tests need the test process to run as root (to create the test user)";
  else if (!existsSync("/usr/bin/sudo") && !existsSync("/bin/sudo")) {
    sudoReason = "sudo is not installed (Debian/Ubuntu: `apt-get install sudo`)";
  }
  return { available: !reason, reason, sudo: !reason && !sudoReason, sudoReason: reason ?? sudoReason };
}

/** What a test suite that needs sshd should do: run, fail loudly (CI), or skip (a developer machine). */
export type SuiteDecision = { action: "run" } | { action: "fail" | "skip"; reason: string };

/**
 * The policy: when the harness can run, run. When it cannot and `CI` is set, fail (a CI machine
 * that lacks sshd is a broken CI machine). Otherwise skip, saying what is missing.
 */
export function decideSuite(
  availability: SshdAvailability,
  needs: { sudo?: boolean } = {},
  env: NodeJS.ProcessEnv = process.env,
): SuiteDecision {
  const reason = needs.sudo ? availability.sudoReason : availability.reason;
  if (reason === undefined) return { action: "run" };
  const inCi = env.CI !== undefined && env.CI !== "" && env.CI !== "0" && env.CI.toLowerCase() !== "false";
  return { action: inCi ? "fail" : "skip", reason };
}

/** Throws (with what is missing and how to fix it) unless the sshd harness can run here. */
export function requireSshd(needs: { sudo?: boolean } = {}): void {
  const availability = sshdAvailability();
  const reason = needs.sudo ? availability.sudoReason : availability.reason;
  if (reason !== undefined) throw new Error(`the sshd test harness cannot run: ${reason}`);
}
