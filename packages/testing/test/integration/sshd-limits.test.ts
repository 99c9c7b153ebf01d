import { readFileSync } from "node:fs";
import ssh2 from "ssh2";
import { expect, it } from "vitest";
import { type SshdHarness, startSshd } from "../../src/index.js";
import { runCommand } from "../../src/sshd/exec.js";
import { describeWithSshd } from "../../src/sshd/vitest.js";

function connectWithKey(sshd: SshdHarness): Promise<ssh2.Client> {
  const host = sshd.host("host1");
  return new Promise((resolve, reject) => {
    const client = new ssh2.Client();
    client.once("ready", () => resolve(client));
    client.once("error", reject);
    client.connect({
      host: host.address,
      port: host.port,
      username: sshd.user,
      privateKey: readFileSync(sshd.identityFile),
    });
  });
}

describeWithSshd("sshd limits and options", () => {
  it("writes MaxSessions, MaxStartups and friends into the config sshd runs with", async () => {
    await using sshd = await startSshd({
      maxSessions: 2,
      maxStartups: "3:50:7",
      loginGraceTime: 7,
      clientAliveInterval: 11,
      allowTcpForwarding: false,
      logLevel: "INFO",
      extraConfig: ["X11Forwarding yes", "Match User nobody", "  PermitTTY no"],
    });
    const config = await sshd.effectiveConfig();
    expect(config.get("maxsessions")).toEqual(["2"]);
    expect(config.get("maxstartups")).toEqual(["3:50:7"]);
    expect(config.get("logingracetime")).toEqual(["7"]);
    expect(config.get("clientaliveinterval")).toEqual(["11"]);
    expect(config.get("allowtcpforwarding")).toEqual(["no"]);
    expect(config.get("loglevel")).toEqual(["INFO"]);
    // extraConfig wins over the harness default (X11Forwarding no).
    expect(config.get("x11forwarding")).toEqual(["yes"]);
    expect(config.get("passwordauthentication")).toEqual(["no"]);
    expect(config.get("permitrootlogin")).toEqual(["no"]);
  });

  it("enforces MaxSessions on one connection", async () => {
    await using sshd = await startSshd({ maxSessions: 2 });
    const client = await connectWithKey(sshd);
    const open = () =>
      new Promise<ssh2.ClientChannel>((resolve, reject) =>
        client.exec("sleep 30", (error, channel) => (error ? reject(error) : resolve(channel))),
      );
    try {
      await open();
      await open();
      await expect(open()).rejects.toThrow(/open failed|prohibited/i);
    } finally {
      client.end();
    }
  });

  it("allows TCP forwarding by default and refuses it when turned off", async () => {
    await using on = await startSshd();
    await using off = await startSshd({ allowTcpForwarding: false });
    const forward = (sshd: SshdHarness) =>
      runCommand("ssh", sshd.sshArgs("host1", ["-W", `127.0.0.1:${sshd.port}`]), { input: "" });
    expect((await forward(on)).stdout).toMatch(/^SSH-2\.0-OpenSSH/);
    const refused = await forward(off);
    expect(refused.stdout).toBe("");
    expect(refused.stderr).toMatch(/administratively prohibited|open failed/);
  });
});
