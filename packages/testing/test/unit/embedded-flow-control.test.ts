import type { Client, ClientChannel } from "ssh2";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type EmbeddedHosts, startEmbeddedHosts } from "../../src/embedded/index.js";
import { collect, connectClient, embeddedTarget, openExec } from "../support/embedded-helpers.js";

/** Resolves once the client has received at least `bytes` of stdout, without consuming it. */
function buffered(channel: ClientChannel, bytes: number): Promise<void> {
  return new Promise((resolve) => {
    const check = () => {
      if (channel.readableLength >= bytes) resolve();
      else setTimeout(check, 20);
    };
    check();
  });
}

/**
 * stdout and stderr share one SSH window. When the client stops reading, the server's stdout writes wait
 * for a window adjust; a stderr write issued in that state must still go out once the client reads again,
 * and no stdout byte may be sent twice.
 */
describe("embedded hosts: stdout and stderr under a closed window", () => {
  let group: EmbeddedHosts;
  let client: Client;

  beforeAll(async () => {
    group = await startEmbeddedHosts({ hosts: ["window"] });
    client = await connectClient(embeddedTarget(group, "window"));
  });
  afterAll(async () => {
    client?.end();
    await group?.stop();
  });

  it("stderr written while stdout waits for the window arrives, and stdout arrives once", async () => {
    // A paused ssh2 client takes 2 MB into its stream buffer and 2 MB more of window; 5 MB leaves ~1 MB in
    // the server channel's buffer (2 MB), so the command can finish and write to stderr while stdout still
    // waits for the window to reopen.
    const size = 5_000_000;
    const channel = await openExec(client, `head -c ${size} /dev/zero | tr '\\0' x; echo end >&2; exit 4`);
    channel.pause();
    channel.end();
    await buffered(channel, 2_000_000);
    // Give the command time to finish and its stderr line time to reach the server channel.
    await new Promise((resolve) => setTimeout(resolve, 500));
    const result = collect(channel);
    channel.resume();
    const outcome = await Promise.race([
      result,
      new Promise<"stalled">((resolve) => setTimeout(() => resolve("stalled"), 15_000)),
    ]);
    expect(outcome).not.toBe("stalled");
    if (outcome === "stalled") return;
    expect(outcome.stdout.length).toBe(size);
    expect(/^x*$/.test(outcome.stdout)).toBe(true);
    expect(outcome.stderr).toBe("end\n");
    expect(outcome.code).toBe(4);
  }, 30_000);

  it("interleaved stdout and stderr under pressure keep every byte of both", async () => {
    const lines = 20_000;
    const script = `i=0; while [ $i -lt ${lines} ]; do echo "out $i"; echo "err $i" >&2; i=$((i+1)); done`;
    const channel = await openExec(client, script);
    channel.pause();
    channel.end();
    await new Promise((resolve) => setTimeout(resolve, 300));
    const result = collect(channel);
    channel.resume();
    const outcome = await Promise.race([
      result,
      new Promise<"stalled">((resolve) => setTimeout(() => resolve("stalled"), 25_000)),
    ]);
    expect(outcome).not.toBe("stalled");
    if (outcome === "stalled") return;
    const expected = (tag: string) => Array.from({ length: lines }, (_, i) => `${tag} ${i}\n`).join("");
    expect(outcome.stdout).toBe(expected("out"));
    expect(outcome.stderr).toBe(expected("err"));
    expect(outcome.code).toBe(0);
  }, 40_000);
});
