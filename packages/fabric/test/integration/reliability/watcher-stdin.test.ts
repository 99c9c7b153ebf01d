// Over SSH, a watcher's answer reaches the remote command even when the local stdin is at end of
// file (`< /dev/null`, cron, CI): the channel's stdin stays open for watchers.
import { spawnSync } from "node:child_process";
import { dirname, join } from "node:path";
import { Readable } from "node:stream";
import { fileURLToPath } from "node:url";
import { Responder } from "@fabric-ts/invoke";
import { afterAll, beforeAll, expect, it } from "vitest";
import { Connection } from "../../../src/connection/connection.js";
import { describeWithSshd, harnessConfig, type SshdHarness, startSshd } from "../../support/fabric-sshd.js";

const here = dirname(fileURLToPath(import.meta.url));
const DIST_INDEX = join(here, "..", "..", "..", "dist", "index.js");
const PROMPT = "printf 'Continue? '; read answer; echo \"got=$answer\"";

describeWithSshd("watchers over SSH with stdin at EOF (real sshd)", () => {
  let sshd: SshdHarness;
  let c: Connection;
  beforeAll(async () => {
    sshd = await startSshd();
    c = new Connection("host1", { config: harnessConfig(sshd) });
  });
  afterAll(async () => {
    await c?.close();
    await sshd?.stop();
  });

  it("inStream already at EOF: the remote command reads the Responder's answer", async () => {
    const result = await c.run(PROMPT, {
      hide: true,
      inStream: Readable.from([]),
      watchers: [new Responder("Continue\\? ", "yes\n")],
    });
    expect(result.stdout).toBe("Continue? got=yes\n");
  });

  it("with a pty too", async () => {
    const result = await c.run(PROMPT, {
      hide: true,
      pty: true,
      inStream: Readable.from([]),
      watchers: [new Responder("Continue\\? ", "yes\n")],
    });
    expect(result.stdout).toContain("got=yes");
  });

  it("a process whose stdin is /dev/null (default inStream): the answer arrives", () => {
    const script = [
      `import { Connection, FabricConfig } from ${JSON.stringify(DIST_INDEX)};`,
      `import { Responder } from "@fabric-ts/invoke";`,
      `const config = new FabricConfig({ lazy: true, runtimeSshPath: ${JSON.stringify(sshd.sshConfigPath)}, env: {} });`,
      `config.set("connectKwargs", { agent: false });`,
      `const c = new Connection("host1", { config });`,
      `const r = await c.run(${JSON.stringify(PROMPT)}, { hide: true, watchers: [new Responder("Continue\\\\? ", "yes\\n")] });`,
      "await c.close();",
      "process.stdout.write(r.stdout);",
    ].join("\n");
    const child = spawnSync(process.execPath, ["--input-type=module", "-e", script], {
      cwd: join(here, "..", "..", ".."),
      stdio: ["ignore", "pipe", "pipe"],
      encoding: "utf8",
      timeout: 60_000,
    });
    expect(child.stderr).toBe("");
    expect(child.stdout).toBe("Continue? got=yes\n");
    expect(child.status).toBe(0);
  });
});
