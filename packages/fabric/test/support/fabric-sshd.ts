// Helpers for Connection integration tests against the real OpenSSH sshd harness.
import type { SshdHarness } from "@fabric-ts/testing";
import { FabricConfig } from "../../src/config/fabric-config.js";

export { type SshdHarness, startSshd } from "@fabric-ts/testing";
export { describeWithSshd } from "@fabric-ts/testing/vitest";

/**
 * A FabricConfig that reads only the harness's generated ssh_config (as `fab -S` would), so host
 * aliases (`host1` …), users, ports, keys and known_hosts all come from it. No config files or env.
 */
export function harnessConfig(sshd: SshdHarness, sshConfigPath = sshd.sshConfigPath): FabricConfig {
  const config = new FabricConfig({ lazy: true, runtimeSshPath: sshConfigPath, env: {} });
  // No agent: only the harness identity is offered.
  config.set("connectKwargs", { agent: false });
  return config;
}
