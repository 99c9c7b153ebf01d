import { readFile } from "node:fs/promises";
import { afterAll, beforeAll, describe } from "vitest";
import { type EmbeddedHosts, startEmbeddedHosts } from "../../src/embedded/index.js";
import { type SshdHarness, startSshd } from "../../src/sshd/index.js";
import { describeWithSshd } from "../../src/sshd/vitest.js";
import { defineCoreSuite } from "../support/embedded-core-suite.js";
import type { CoreTarget } from "../support/embedded-helpers.js";
import { connectClient, exec } from "../support/embedded-helpers.js";

describe("core SSH behaviour: embedded host", () => {
  let group: EmbeddedHosts;
  let target: CoreTarget;
  beforeAll(async () => {
    group = await startEmbeddedHosts({ hosts: ["core1"] });
    const host = group.host("core1");
    target = {
      sshConfigPath: group.sshConfigPath,
      alias: host.name,
      address: host.address,
      port: host.port,
      user: host.user,
      privateKey: group.clientKey.privateKey,
      knownHostsPath: group.knownHostsPath,
      home: host.dir,
    };
  });
  afterAll(() => group?.stop());
  defineCoreSuite(() => target);
});

describeWithSshd("core SSH behaviour: OpenSSH sshd", () => {
  let sshd: SshdHarness;
  let target: CoreTarget;
  beforeAll(async () => {
    sshd = await startSshd({ hosts: 1 });
    const host = sshd.hosts[0];
    if (!host) throw new Error("sshd harness started without hosts");
    const partial = {
      sshConfigPath: sshd.sshConfigPath,
      alias: host.alias,
      address: host.address,
      port: host.port,
      user: sshd.user,
      privateKey: await readFile(sshd.identityFile, "utf8"),
      knownHostsPath: sshd.knownHostsPath,
      home: "",
    };
    const client = await connectClient(partial);
    partial.home = (await exec(client, 'printf %s "$HOME"')).stdout;
    client.end();
    target = partial;
  });
  afterAll(() => sshd?.stop());
  defineCoreSuite(() => target);
});
