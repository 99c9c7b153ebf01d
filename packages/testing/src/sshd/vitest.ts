import { describe, it } from "vitest";
import { decideSuite, type SshdAvailability, sshdAvailability } from "./availability.js";

let availability: SshdAvailability | undefined;

/**
 * `describe` for suites that need the real sshd harness. Runs the suite when sshd is available;
 * otherwise fails loudly when CI is set, and skips (with the reason in the title) elsewhere.
 * Pass `{ sudo: true }` for suites that also need root and sudo.
 */
export function describeWithSshd(name: string, body: () => void, needs: { sudo?: boolean } = {}): void {
  availability ??= sshdAvailability();
  const decision = decideSuite(availability, needs);
  if (decision.action === "run") {
    describe(name, body);
  } else if (decision.action === "fail") {
    describe(name, () => {
      it("has the sshd test harness available", () => {
        throw new Error(`CI is set but the sshd test harness cannot run: ${decision.reason}`);
      });
    });
  } else {
    describe.skip(`${name} (skipped: ${decision.reason})`, body);
  }
}
