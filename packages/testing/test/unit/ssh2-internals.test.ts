import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import type { AddressInfo } from "node:net";
import ssh2, { type ServerChannel } from "ssh2";
import { afterEach, describe, expect, it } from "vitest";
import { generateEd25519 } from "../../src/embedded/keys.js";
import { forgetFinishedWrite, sendExitAfterEof } from "../../src/embedded/ssh2-internals.js";

// Pins what src/embedded/ssh2-internals.ts relies on in ssh2's private server-channel state. A failure here
// after an ssh2 upgrade means that module must be revisited (or, for the resume slots, may be dropped).

const require = createRequire(import.meta.url);
const pinned = JSON.parse(readFileSync(new URL("../../package.json", import.meta.url), "utf8")).dependencies
  .ssh2 as string;

interface RawChannel {
  outgoing: { id: number; state: string; window: number };
  _client: { _protocol: { exitStatus: unknown; exitSignal: unknown } };
}

type ServerStep = (channel: ServerChannel) => void;

/** An in-process ssh2 server running `step` on the first exec channel, and a client collecting what arrives. */
async function exchange(step: ServerStep, settleMs: number) {
  const server = new ssh2.Server({ hostKeys: [generateEd25519("pin").privateKey] }, (connection) => {
    connection.on("authentication", (ctx) => ctx.accept());
    connection.on("ready", () => {
      connection.on("session", (accept) => {
        accept().on("exec", (acceptExec) => step(acceptExec()));
      });
    });
    connection.on("error", () => {});
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const client = new ssh2.Client();
  cleanups.push(() => {
    client.end();
    server.close();
  });
  const received = { stdout: 0, stderr: "" };
  await new Promise<void>((resolve, reject) => {
    client.on("error", reject);
    client.on("ready", () => {
      client.exec("write", (error, channel) => {
        if (error) return reject(error);
        channel.on("data", (chunk: Buffer) => {
          received.stdout += chunk.length;
        });
        channel.stderr.on("data", (chunk: Buffer) => {
          received.stderr += chunk.toString();
        });
        setTimeout(resolve, settleMs);
      });
    });
    client.connect({
      host: "127.0.0.1",
      port: (server.address() as AddressInfo).port,
      username: "pin",
      hostVerifier: () => true,
    });
  });
  return received;
}

const cleanups: (() => void)[] = [];
afterEach(() => {
  for (const cleanup of cleanups.splice(0)) cleanup();
});

/**
 * stdout runs out of window and is resumed (its parked chunk stays in ssh2's resume slot); then stdout
 * uses exactly the window that is left and stderr has to wait for the next adjust.
 */
function parkStderrAfterStdoutWaited(forget: boolean, sent: { stdout: number }): ServerStep {
  return (channel) => {
    channel.on("error", () => {});
    const first = Buffer.alloc(8 * 1024 * 1024, "x");
    channel.write(first, () => {
      if (forget) forgetFinishedWrite(channel);
      const left = (channel as unknown as RawChannel).outgoing.window;
      if (left > 0) channel.write(Buffer.alloc(left, "y"));
      sent.stdout = first.length + left;
      channel.stderr.write("end\n");
    });
  };
}

describe("ssh2 internals the embedded server relies on", () => {
  it(`ssh2 is pinned exactly, and the installed version is the pinned one`, () => {
    expect(pinned).toMatch(/^\d+\.\d+\.\d+$/);
    expect(require("ssh2/package.json").version).toBe(pinned);
  });

  it("a server channel has outgoing.{id,state,window} and a protocol with exitStatus/exitSignal", async () => {
    let raw: RawChannel | undefined;
    await exchange((channel) => {
      raw = channel as unknown as RawChannel;
      expect(sendExitAfterEof(channel, { status: 0 })).toBe(true);
    }, 200);
    expect(raw?.outgoing.id).toBeTypeOf("number");
    expect(raw?.outgoing.window).toBeTypeOf("number");
    expect(raw?.outgoing.state).toBeTypeOf("string");
    expect(raw?._client._protocol.exitStatus).toBeTypeOf("function");
    expect(raw?._client._protocol.exitSignal).toBeTypeOf("function");
  });

  it("left alone, ssh2 replays a stale stdout chunk on the adjust a parked stderr write waits for", async () => {
    const sent = { stdout: 0 };
    const received = await exchange(parkStderrAfterStdoutWaited(false, sent), 1500);
    expect(received.stderr).toBe("");
    expect(received.stdout).toBeGreaterThan(sent.stdout);
  });

  it("with the finished write forgotten, the parked stderr write goes out and stdout arrives once", async () => {
    const sent = { stdout: 0 };
    const received = await exchange(parkStderrAfterStdoutWaited(true, sent), 1500);
    expect(received.stderr).toBe("end\n");
    expect(received.stdout).toBe(sent.stdout);
  });
});
