import type { SshdConfigInput } from "../../src/sshd/sshd-config.js";

/** A typical harness sshd_config input: two listen addresses, key-only logins, forwarding on. */
export const baseInput: SshdConfigInput = {
  listen: [
    { address: "127.0.0.1", port: 2222 },
    { address: "127.0.0.2", port: 2222 },
  ],
  hostKeyPaths: ["/h/ed25519"],
  authorizedKeysFile: "/h/authorized_keys",
  allowUsers: ["fabts", "fabts-nopw"],
  passwordAuthentication: false,
  keyboardInteractive: false,
  usePam: false,
  allowTcpForwarding: true,
  logLevel: "VERBOSE",
  acceptEnv: ["LANG"],
  extraConfig: [],
};
