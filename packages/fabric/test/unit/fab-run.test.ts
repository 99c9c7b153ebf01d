import { Writable } from "node:stream";
import { describe, expect, it } from "vitest";
import { JsonEvents } from "../../src/output/events.js";
import { ProgressBar } from "../../src/output/progress.js";
import { FabRun, type FabRunSettings, type HostTurn } from "../../src/tasks/fab-run.js";
import { MockConnection } from "../../src/testing/mock-connection.js";

class Sink extends Writable {
  text = "";
  override _write(chunk: Buffer | string, _encoding: BufferEncoding, done: () => void): void {
    this.text += String(chunk);
    done();
  }
}

const tick = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

function turn(host: string, hostIndex: number, body: HostTurn["body"], task = "deploy"): HostTurn {
  return { host: { host }, hostIndex, task, autoprint: false, configure: () => undefined, body };
}

function settings(overrides: Partial<FabRunSettings>): FabRunSettings {
  return {
    connect: ({ host }) => new MockConnection(host),
    output: { mode: "plain" },
    progress: () => new ProgressBar({ stream: new Sink() }),
    concurrency: 1,
    failFast: true,
    skipUnreachable: false,
    ...overrides,
  };
}

describe("FabRun (fab's host turns over the fan-out)", () => {
  it("under --json: start/output/exit per host in order, skipped hosts after a failure, the summary", async () => {
    const stdout = new Sink();
    const events = new JsonEvents(stdout);
    const run = new FabRun(settings({ output: { mode: "json", events }, events }));
    const turns = [
      turn("a", 0, async () => {
        process.stdout.write("from a\n");
        return "A";
      }),
      turn("b", 1, async () => {
        throw new Error("b broke");
      }),
      turn("c", 2, async () => "C"),
    ];
    expect(await run.runBatch(turns)).toBe(false);
    run.finish();
    const lines = stdout.text
      .trim()
      .split("\n")
      .map((line) => JSON.parse(line) as Record<string, unknown>);
    expect(lines.map((e) => `${e.event} ${e.host ?? ""}`)).toEqual([
      "start a",
      "stdout a",
      "exit a",
      "start b",
      "exit b",
      "summary ",
    ]);
    expect(lines[0]).toMatchObject({ task: "deploy" });
    expect(lines[2]).toMatchObject({ status: "ok", task: "deploy" });
    expect(lines[4]).toMatchObject({ status: "error", error: "Error: b broke" });
    expect(lines[5]).toMatchObject({ ok: false, hosts: 3, succeeded: ["a"], failed: ["b"], skipped: ["c"] });
    expect(run.outcomes.map((o) => [o.host, o.status])).toEqual([
      ["a", "ok"],
      ["b", "error"],
      ["c", "skipped"],
    ]);
    expect(() => run.throwIfFailed()).toThrow(/1 of 3 hosts failed:\n {2}b: Error: b broke\n {2}\(1 not run/);
  });

  it("side by side: every host runs after a failure; outcomes and failures stay in host order", async () => {
    const stderr = new Sink();
    const run = new FabRun(settings({ concurrency: 3, failFast: false, stderr }));
    const turns = [
      turn("slow", 0, async () => {
        await tick(30);
        throw new Error("slow failed");
      }),
      turn("fast", 1, async () => {
        throw new Error("fast failed");
      }),
      turn("ok", 2, async () => {
        await tick(10);
        return 1;
      }),
    ];
    expect(await run.runBatch(turns)).toBe(false);
    run.finish();
    expect(run.outcomes.map((o) => [o.host, o.status])).toEqual([
      ["slow", "error"],
      ["fast", "error"],
      ["ok", "ok"],
    ]);
    expect(run.failures.map((f) => f.host)).toEqual(["slow", "fast"]);
    const rows = stderr.text.trim().split("\n");
    expect(rows[0]).toMatch(/^HOST/);
    expect(rows.slice(1, 4).map((row) => row.split(/\s+/)[0])).toEqual(["slow", "fast", "ok"]);
    expect(rows[4]).toBe("1 ok, 2 error");
  });

  it("keeps a successful task's value and names the command's hosts without a task", async () => {
    const stdout = new Sink();
    const events = new JsonEvents(stdout);
    const run = new FabRun(settings({ output: { mode: "json", events }, events }));
    const key = { name: "t" } as unknown as NonNullable<HostTurn["resultKey"]>;
    const command: HostTurn = {
      host: { host: "h" },
      hostIndex: 0,
      command: "uptime",
      resultKey: key,
      autoprint: false,
      configure: () => undefined,
      body: async () => "value",
    };
    expect(await run.runBatch([command])).toBe(true);
    expect(run.results.get(key)).toBe("value");
    const [start, exit] = stdout.text
      .trim()
      .split("\n")
      .map((line) => JSON.parse(line) as Record<string, unknown>);
    expect(start).toEqual({ schema: 1, event: "start", host: "h", command: "uptime" });
    expect(exit).not.toHaveProperty("task");
  });
});
