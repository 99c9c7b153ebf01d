import { Writable } from "node:stream";
import { SshConnectError } from "@fabric-ts/ssh-core";
import { describe, expect, it } from "vitest";
import { type FanOutOptions, fanOut, type HostJob, type HostRun } from "../../src/fanout/fanout.js";
import { JsonEvents } from "../../src/output/events.js";

/** A stream that keeps what was written to it. */
class Sink extends Writable {
  text = "";
  override _write(chunk: Buffer | string, _encoding: BufferEncoding, done: () => void): void {
    this.text += String(chunk);
    done();
  }
  lines(): string[] {
    return this.text.split("\n").filter((line) => line !== "");
  }
}

const tick = (ms = 0) => new Promise((resolve) => setTimeout(resolve, ms));

/** A promise opened from outside. */
function gate(): { promise: Promise<void>; resolve: () => void } {
  let resolve: () => void = () => undefined;
  const promise = new Promise<void>((done) => {
    resolve = done;
  });
  return { promise, resolve };
}

/** A job printing `lines` (one write each, with a pause between), then resolving to `value`. */
function printing(label: string, lines: string[], value: string, pauseMs = 0): HostJob<string> {
  return {
    label,
    async run(streams) {
      for (const line of lines) {
        streams?.out.write(`${line}\n`);
        await tick(pauseMs);
      }
      return value;
    },
  };
}

function prefixed(stdout: Sink, stderr = new Sink()): FanOutOptions["output"] {
  return { mode: "prefixed", stdout, stderr, color: false };
}

function connectRefused(): Error {
  return new SshConnectError("CONNECT_REFUSED", "127.0.0.9", 22, "connect ECONNREFUSED");
}

describe("fanOut", () => {
  it("keeps each host's lines under its own prefix and whole, with hosts running at once", async () => {
    const stdout = new Sink();
    const jobs = [
      printing("web1", ["a1", "a2", "a3"], "A", 2),
      printing("web2", ["b1", "b2", "b3"], "B", 1),
      printing("web3", ["c1", "c2", "c3"], "C", 3),
    ];
    const runs = await fanOut(jobs, { concurrency: 3, failFast: false, output: prefixed(stdout) });
    const lines = stdout.lines();
    expect(lines).toHaveLength(9);
    for (const [label, letter] of [
      ["web1", "a"],
      ["web2", "b"],
      ["web3", "c"],
    ] as const) {
      expect(lines.filter((line) => line.startsWith(`[${label}] `))).toEqual([
        `[${label}] ${letter}1`,
        `[${label}] ${letter}2`,
        `[${label}] ${letter}3`,
      ]);
    }
    expect(runs.map((run) => [run.label, run.state, run.value])).toEqual([
      ["web1", "done", "A"],
      ["web2", "done", "B"],
      ["web3", "done", "C"],
    ]);
  });

  it("returns runs in job order whatever order the hosts finish in", async () => {
    const ended: string[] = [];
    // h1 ends first, then h2, then h0: each waits for the one before it in that order.
    const gates = [0, 1, 2].map(() => gate());
    const waitsFor: Record<number, number | undefined> = { 0: 2, 1: undefined, 2: 1 };
    const jobs = [0, 1, 2].map(
      (index): HostJob<number> => ({
        label: `h${index}`,
        run: async () => {
          const before = waitsFor[index];
          if (before !== undefined) await gates[before]!.promise;
          return index;
        },
      }),
    );
    const runs = await fanOut(jobs, {
      concurrency: 3,
      failFast: false,
      output: { mode: "plain" },
      onEnd: (run) => {
        ended.push(run.label);
        gates[run.index]!.resolve();
      },
    });
    expect(ended).toEqual(["h1", "h2", "h0"]);
    expect(runs.map((run) => run.index)).toEqual([0, 1, 2]);
    expect(runs.map((run) => run.value)).toEqual([0, 1, 2]);
  });

  it("captures what a job writes to process.stdout itself under its host's prefix", async () => {
    const stdout = new Sink();
    const jobs = ["db1", "db2"].map(
      (label): HostJob<void> => ({
        label,
        run: async () => {
          process.stdout.write(`hello from ${label}\n`);
        },
      }),
    );
    await fanOut(jobs, { concurrency: 2, failFast: false, output: prefixed(stdout) });
    expect(stdout.lines().sort()).toEqual(["[db1] hello from db1", "[db2] hello from db2"]);
  });

  it("fails only the host whose job threw, keeping its error and the others' values", async () => {
    const boom = new Error("boom");
    const jobs: HostJob<string>[] = [
      printing("a", [], "ok-a"),
      {
        label: "b",
        run: async () => {
          throw boom;
        },
      },
      {
        label: "c",
        run: () => Promise.reject("not an Error"),
      },
      printing("d", [], "ok-d"),
    ];
    const runs = await fanOut(jobs, { concurrency: 2, failFast: false, output: { mode: "plain" } });
    expect(runs.map((run) => run.state)).toEqual(["done", "failed", "failed", "done"]);
    expect(runs[1]?.error).toBe(boom);
    expect(runs[2]?.error).toBeInstanceOf(Error);
    expect(runs[2]?.error?.message).toBe("not an Error");
    expect(runs[3]?.value).toBe("ok-d");
    for (const run of runs) expect(run.durationMs).toEqual(expect.any(Number));
  });

  it("with failFast, one host at a time: hosts after the failure never start and end skipped", async () => {
    const started: string[] = [];
    const jobs = ["h1", "h2", "h3", "h4"].map(
      (label): HostJob<string> => ({
        label,
        run: async () => {
          started.push(label);
          if (label === "h2") throw new Error("h2 failed");
          return label;
        },
      }),
    );
    const ends: HostRun<unknown>[] = [];
    const runs = await fanOut(jobs, {
      concurrency: 1,
      failFast: true,
      output: { mode: "plain" },
      onEnd: (run) => ends.push(run),
    });
    expect(started).toEqual(["h1", "h2"]);
    expect(runs.map((run) => [run.label, run.state])).toEqual([
      ["h1", "done"],
      ["h2", "failed"],
      ["h3", "skipped"],
      ["h4", "skipped"],
    ]);
    expect(runs[2]?.durationMs).toBeNull();
    expect(ends.map((run) => run.label)).toEqual(["h1", "h2"]);
  });

  it("without failFast every host runs after a failure", async () => {
    const started: string[] = [];
    const jobs = ["h1", "h2", "h3"].map(
      (label): HostJob<void> => ({
        label,
        run: async () => {
          started.push(label);
          if (label === "h1") throw new Error("first failed");
        },
      }),
    );
    const runs = await fanOut(jobs, { concurrency: 1, failFast: false, output: { mode: "plain" } });
    expect(started).toEqual(["h1", "h2", "h3"]);
    expect(runs.map((run) => run.state)).toEqual(["failed", "done", "done"]);
  });

  it("never has more than `concurrency` hosts at work, and starts them in order", async () => {
    let running = 0;
    let peak = 0;
    const order: number[] = [];
    const jobs = Array.from(
      { length: 7 },
      (_, index): HostJob<void> => ({
        label: `h${index}`,
        run: async () => {
          order.push(index);
          running++;
          peak = Math.max(peak, running);
          await tick(index % 2 ? 3 : 1);
          running--;
        },
      }),
    );
    await fanOut(jobs, { concurrency: 3, failFast: false, output: { mode: "plain" } });
    expect(peak).toBe(3);
    expect(order).toEqual([0, 1, 2, 3, 4, 5, 6]);
  });

  it("with skipUnreachable sets aside a host that cannot be reached; other connect errors fail it", async () => {
    const ran: string[] = [];
    const job = (label: string, reachError?: Error): HostJob<string> => ({
      label,
      reach: async () => {
        if (reachError) throw reachError;
      },
      run: async () => {
        ran.push(label);
        return label;
      },
    });
    const denied = Object.assign(new Error("auth failed"), { code: "AUTH_FAILED" });
    const jobs = [job("up"), job("down", connectRefused()), job("denied", denied)];
    const runs = await fanOut(jobs, {
      concurrency: 1,
      failFast: false,
      skipUnreachable: true,
      output: { mode: "plain" },
    });
    expect(runs.map((run) => run.state)).toEqual(["done", "unreachable", "failed"]);
    expect(runs[1]?.error?.message).toBe("connect ECONNREFUSED");
    expect(runs[2]?.error).toBe(denied);
    expect(ran).toEqual(["up"]);
  });

  it("does not call reach without skipUnreachable, and an unreachable error from run is a failure", async () => {
    let reached = false;
    const runs = await fanOut(
      [
        {
          label: "h",
          reach: async () => {
            reached = true;
          },
          run: async () => {
            throw connectRefused();
          },
        },
      ],
      { concurrency: 1, failFast: false, output: { mode: "plain" } },
    );
    expect(reached).toBe(false);
    expect(runs[0]?.state).toBe("failed");
  });

  it("calls prepare before and release after each host's work, even when it fails", async () => {
    const steps: string[] = [];
    const job = (label: string, fail: boolean): HostJob<void> => ({
      label,
      prepare: () => steps.push(`prepare ${label}`),
      run: async () => {
        steps.push(`run ${label}`);
        if (fail) throw new Error("no");
      },
      release: async () => {
        steps.push(`release ${label}`);
        throw new Error("close failed"); // ignored: the host's end is its work's
      },
    });
    const runs = await fanOut([job("a", true), job("b", false)], {
      concurrency: 1,
      failFast: false,
      output: { mode: "plain" },
      onStart: (index) => steps.push(`start ${index}`),
    });
    expect(steps).toEqual([
      "start 0",
      "prepare a",
      "run a",
      "release a",
      "start 1",
      "prepare b",
      "run b",
      "release b",
    ]);
    expect(runs.map((run) => run.state)).toEqual(["failed", "done"]);
    expect(runs[0]?.error?.message).toBe("no");
  });

  it("once the signal is aborted starts no further host", async () => {
    const controller = new AbortController();
    const jobs = ["h1", "h2", "h3"].map(
      (label): HostJob<void> => ({
        label,
        run: async () => {
          if (label === "h1") controller.abort();
        },
      }),
    );
    const runs = await fanOut(jobs, {
      concurrency: 1,
      failFast: false,
      output: { mode: "plain" },
      signal: controller.signal,
    });
    expect(runs.map((run) => run.state)).toEqual(["done", "skipped", "skipped"]);
  });

  it("in json mode each host's line is an event naming the host", async () => {
    const stdout = new Sink();
    const events = new JsonEvents(stdout);
    await fanOut([printing("web1", ["one"], "x"), printing("web2", ["two"], "y")], {
      concurrency: 1,
      failFast: false,
      output: { mode: "json", events },
    });
    expect(stdout.lines().map((line) => JSON.parse(line))).toEqual([
      { schema: 1, event: "stdout", host: "web1", line: "one" },
      { schema: 1, event: "stdout", host: "web2", line: "two" },
    ]);
  });

  it("flushes a host's last partial line when its job ends", async () => {
    const stdout = new Sink();
    await fanOut(
      [
        {
          label: "h",
          run: async (streams) => {
            streams?.out.write("no newline");
          },
        },
      ],
      { concurrency: 1, failFast: false, output: prefixed(stdout) },
    );
    expect(stdout.lines()).toEqual(["[h] no newline"]);
  });
});
