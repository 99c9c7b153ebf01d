import { execFileSync } from "node:child_process";
import { describe, expect, it } from "vitest";
import { ChannelOpenError } from "../../src/errors.js";
import { ChannelQueue } from "../../src/exec/channel-queue.js";
import { inlineEnvCommand, shellQuote } from "../../src/quote.js";

/** A fake server that refuses session opens beyond `max` concurrently open channels. */
function fakeServer(max: number) {
  let open = 0;
  let peak = 0;
  let refusals = 0;
  return {
    get peak() {
      return peak;
    },
    get refusals() {
      return refusals;
    },
    async open(): Promise<() => void> {
      await Promise.resolve();
      if (open >= max) {
        refusals++;
        throw Object.assign(new Error("open failed"), { reason: 1 });
      }
      open++;
      peak = Math.max(peak, open);
      return () => {
        open--;
      };
    },
  };
}

const isRefusal = (e: unknown) => typeof (e as { reason?: unknown }).reason === "number";
const tick = () => new Promise((r) => setTimeout(r, 1));

describe("ChannelQueue", () => {
  it("runs 100 requests through a server that allows 10, learning the limit", async () => {
    const server = fakeServer(10);
    const queue = new ChannelQueue();
    let completed = 0;
    await Promise.all(
      Array.from({ length: 100 }, async () => {
        const slot = await queue.open(() => server.open(), { isRefusal });
        await tick();
        slot.value();
        slot.release();
        completed++;
      }),
    );
    expect(completed).toBe(100);
    expect(server.peak).toBe(10);
    expect(queue.limit).toBe(10);
    expect(queue.active).toBe(0);
    // After the first wave of refusals it stops asking beyond the learned limit.
    expect(server.refusals).toBeLessThanOrEqual(90);
  });

  it("honours a configured maxChannels without any refusal", async () => {
    const server = fakeServer(100);
    const queue = new ChannelQueue({ maxChannels: 3 });
    await Promise.all(
      Array.from({ length: 20 }, async () => {
        const slot = await queue.open(() => server.open(), { isRefusal });
        await tick();
        slot.value();
        slot.release();
      }),
    );
    expect(server.peak).toBe(3);
    expect(server.refusals).toBe(0);
  });

  it("passes hard errors through when nothing of ours is open", async () => {
    const queue = new ChannelQueue();
    const error = Object.assign(new Error("prohibited"), { reason: 1 });
    await expect(queue.open(() => Promise.reject(error), { isRefusal })).rejects.toBe(error);
    await expect(queue.open(() => Promise.reject(new Error("boom")), { isRefusal })).rejects.toThrow("boom");
  });

  it("rejects waiters when aborted and when the queue is full", async () => {
    const queue = new ChannelQueue({ maxChannels: 1, maxQueued: 1 });
    const held = await queue.open(async () => "a", { isRefusal });
    const controller = new AbortController();
    const waiting = queue.open(async () => "b", { isRefusal, signal: controller.signal });
    await expect(queue.open(async () => "c", { isRefusal })).rejects.toBeInstanceOf(ChannelOpenError);
    controller.abort();
    await expect(waiting).rejects.toMatchObject({ code: "ABORTED", name: "AbortError" });
    expect(queue.waiting).toBe(0);
    held.release();
    held.release(); // idempotent
    const next = await queue.open(async () => "d", { isRefusal });
    expect(next.value).toBe("d");
    expect(queue.active).toBe(1);
  });
});

describe("shell quoting", () => {
  const tricky = [
    "",
    "plain",
    "with space",
    "it's",
    "$HOME",
    "`id`",
    'a"b',
    "line\nbreak",
    "*",
    "-n",
    "\\",
    "ü",
  ];

  it("round-trips through a real POSIX shell", () => {
    for (const value of tricky) {
      const out = execFileSync("sh", ["-c", `printf %s ${shellQuote(value)}`], { encoding: "utf8" });
      expect(out).toBe(value);
    }
  });

  it("builds a sorted, quoted inline export that bash evaluates exactly", () => {
    const env = { ZED: "last", A_VAR: "x'y $z", MULTI: "1\n2" };
    const command = inlineEnvCommand(env, 'printf "%s|%s|%s" "$A_VAR" "$MULTI" "$ZED"');
    expect(command.startsWith("export A_VAR=")).toBe(true);
    expect(command.indexOf("MULTI=")).toBeLessThan(command.indexOf("ZED="));
    expect(execFileSync("bash", ["-c", command], { encoding: "utf8" })).toBe("x'y $z|1\n2|last");
  });

  it("rejects names that are not shell identifiers", () => {
    expect(() => inlineEnvCommand({ "A;rm": "x" }, "true")).toThrow(TypeError);
    expect(inlineEnvCommand({}, "true")).toBe("true");
  });
});
