// The sshd_config the harness renders, checked by the real sshd (`sshd -t`): needs OpenSSH's server.
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { findProgram } from "../../src/sshd/binaries.js";
import { runCommand } from "../../src/sshd/exec.js";
import { renderSshdConfig } from "../../src/sshd/sshd-config.js";
import { baseInput } from "../support/sshd-config-input.js";

describe("renderSshdConfig", () => {
  it("is accepted by sshd -t", async () => {
    const sshd = findProgram("sshd");
    const keygen = findProgram("ssh-keygen");
    if (!sshd || !keygen) return expect.fail("OpenSSH is not installed");
    const dir = mkdtempSync(join(tmpdir(), "fabts-unit-"));
    try {
      await runCommand(keygen, ["-q", "-t", "ed25519", "-N", "", "-f", join(dir, "key")]);
      const config = join(dir, "sshd_config");
      writeFileSync(
        config,
        renderSshdConfig({
          ...baseInput,
          hostKeyPaths: [join(dir, "key")],
          maxStartups: 4,
          loginGraceTime: 5,
          clientAliveInterval: 9,
          extraConfig: ["Match User nobody", "  PermitTTY no"],
        }),
      );
      const result = await runCommand(sshd, ["-t", "-f", config]);
      expect(result.stderr).toBe("");
      expect(result.code).toBe(0);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
