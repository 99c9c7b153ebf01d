// Ansible-style changed/ok counts: per host in the fab summary (text and JSON), from real helper
// calls on two real sshd hosts.
import { rm } from "node:fs/promises";
import { PassThrough } from "node:stream";
import { Collection } from "@fabric-ts/invoke";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { FabricExecutor } from "../../src/executor.js";
import { append, ensureLine, exists } from "../../src/helpers/index.js";
import { JsonEvents } from "../../src/output/events.js";
import { renderSummary } from "../../src/output/summary.js";
import { task } from "../../src/tasks/task.js";
import { describeWithSshd, harnessConfig, type SshdHarness, startSshd } from "../support/fabric-sshd.js";

describe("renderSummary with helper counts", () => {
  it("adds a CHANGES column and the totals only when some task used the helpers", () => {
    const rows = [
      {
        host: "web1",
        status: "ok" as const,
        exitCode: null,
        durationMs: 410,
        changes: { changed: 2, ok: 1 },
      },
      {
        host: "web2",
        status: "ok" as const,
        exitCode: null,
        durationMs: 390,
        changes: { changed: 0, ok: 3 },
      },
    ];
    expect(renderSummary(rows)).toBe(
      "HOST  STATUS  EXIT  DURATION  CHANGES\n" +
        "web1  ok         -     0.41s  changed=2 ok=1\n" +
        "web2  ok         -     0.39s  changed=0 ok=3\n" +
        "2 ok; helpers: 2 changed, 4 ok\n",
    );
    const plain = rows.map(({ changes: _, ...row }) => row);
    expect(renderSummary(plain)).toBe(
      "HOST  STATUS  EXIT  DURATION\nweb1  ok         -     0.41s\nweb2  ok         -     0.39s\n2 ok\n",
    );
  });
});

describeWithSshd("changed/ok counts from a fab run on two hosts", () => {
  let sshd: SshdHarness;
  const file = `/tmp/fabric-summary-${process.pid}.conf`;

  beforeAll(async () => {
    sshd = await startSshd({ hosts: 2 });
  });
  afterAll(async () => {
    await sshd?.stop();
    await rm(file, { force: true });
  });

  // Both hosts are this machine: the first host's edits are already there for the second.
  const configure = task({ name: "configure" }, async (c) => {
    await exists(c, file); // a query: not counted
    await append(c, file, "a = 1");
    await ensureLine(c, file, { regexp: "^b ", line: "b = 2" });
  });

  it("counts per host in the summary table and in the JSON exit events", async () => {
    const stderr = new PassThrough();
    let text = "";
    stderr.on("data", (chunk: Buffer) => {
      text += chunk.toString();
    });
    const executor = new FabricExecutor(new Collection({ configure }), harnessConfig(sshd), undefined, {
      hosts: ["host1", "host2"],
      stderr,
      stdout: new PassThrough(),
    });
    await executor.execute("configure");
    expect(text).toMatch(/^HOST +STATUS +EXIT +DURATION +CHANGES$/m);
    expect(text).toMatch(/^host1 +ok .* changed=2 ok=0$/m);
    expect(text).toMatch(/^host2 +ok .* changed=0 ok=2$/m);
    expect(text).toMatch(/^2 ok; helpers: 2 changed, 2 ok$/m);

    const out = new PassThrough();
    let json = "";
    out.on("data", (chunk: Buffer) => {
      json += chunk.toString();
    });
    const again = new FabricExecutor(new Collection({ configure }), harnessConfig(sshd), undefined, {
      hosts: ["host1", "host2"],
      output: "json",
      events: new JsonEvents(out),
      stdout: out,
    });
    await again.execute("configure");
    const exits = json
      .trim()
      .split("\n")
      .map((line) => JSON.parse(line) as { event: string; host?: string; changes?: unknown })
      .filter((event) => event.event === "exit");
    expect(exits.map((event) => [event.host, event.changes])).toEqual([
      ["host1", { changed: 0, ok: 2 }],
      ["host2", { changed: 0, ok: 2 }],
    ]);
  });
});
