// What tasks print themselves goes to the host whose task printed it (AsyncLocalStorage), even
// when hosts run at once; writes outside any task pass through untouched.

import { Console } from "node:console";
import { Writable } from "node:stream";
import { setTimeout as sleep } from "node:timers/promises";
import { describe, expect, it } from "vitest";
import { JsonEvents } from "../../src/output/events.js";
import { hostStreams } from "../../src/output/host-output.js";
import { withTaskOutput } from "../../src/output/task-output.js";

// Vitest swaps the global console for its own; this one is built like Node's global console
// (writing through process.stdout / process.stderr), which is what a fabfile gets under `fab`.
const nodeConsole = new Console({ stdout: process.stdout, stderr: process.stderr });

function collector(): { stream: Writable; text: () => string } {
  const chunks: string[] = [];
  const stream = new Writable({
    write(chunk: Buffer | string, _encoding, done) {
      chunks.push(String(chunk));
      done();
    },
  });
  return { stream, text: () => chunks.join("") };
}

describe("withTaskOutput", () => {
  it("routes console.log / process.stdout writes of concurrent tasks to their own host, line by line", async () => {
    const out = collector();
    const err = collector();
    const options = { mode: "prefixed" as const, stdout: out.stream, stderr: err.stream, color: false };
    const task = (host: string, index: number) =>
      withTaskOutput(hostStreams(host, index, options), async () => {
        process.stdout.write(`${host} starts `);
        await sleep(5);
        nodeConsole.log("a line");
        await sleep(5);
        nodeConsole.error(`${host} complains`);
      });
    const hadOwnWrite = Object.hasOwn(process.stdout, "write");
    await Promise.all([task("web1", 0), task("web2", 1)]);
    expect(out.text().split("\n").filter(Boolean).sort()).toEqual([
      "[web1] web1 starts a line",
      "[web2] web2 starts a line",
    ]);
    expect(err.text().split("\n").filter(Boolean).sort()).toEqual([
      "[web1] web1 complains",
      "[web2] web2 complains",
    ]);
    // Nothing left behind once the tasks are done.
    expect(Object.hasOwn(process.stdout, "write")).toBe(hadOwnWrite);
  });

  it("json mode: task lines become events with the schema version", async () => {
    const out = collector();
    const events = new JsonEvents(out.stream);
    await withTaskOutput(hostStreams("db1", 0, { mode: "json", events }), async () => {
      nodeConsole.log("migrated %d tables", 3);
    });
    expect(out.text()).toBe('{"schema":1,"event":"stdout","host":"db1","line":"migrated 3 tables"}\n');
  });
});
