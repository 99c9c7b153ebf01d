import { connect } from "node:net";
import { setTimeout as delay } from "node:timers/promises";

/** Connects once and resolves with the server's identification line, or undefined if none came. */
export function readBanner(address: string, port: number, timeoutMs = 2_000): Promise<string | undefined> {
  return new Promise((resolve) => {
    const socket = connect({ host: address, port });
    let received = "";
    const finish = (banner: string | undefined) => {
      socket.destroy();
      resolve(banner);
    };
    socket.setTimeout(timeoutMs, () => finish(undefined));
    socket.on("error", () => finish(undefined));
    socket.on("close", () => finish(undefined));
    socket.on("data", (chunk: Buffer) => {
      received += chunk.toString("latin1");
      const line = received.split("\r\n").find((candidate) => candidate.startsWith("SSH-"));
      if (line) finish(line);
    });
  });
}

/**
 * Polls every endpoint until each shows an SSH banner. `stillRunning` lets a daemon that died
 * during start-up fail fast instead of waiting for the timeout. `ownsEndpoint` guards against a
 * banner from some other server already on that port.
 */
export async function waitForBanners(
  endpoints: readonly { address: string; port: number }[],
  stillRunning: () => boolean,
  timeoutMs: number,
  ownsEndpoint: (endpoint: { address: string; port: number }) => boolean = () => true,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  const pending = [...endpoints];
  let pause = 5;
  while (pending.length > 0) {
    if (!stillRunning()) throw new Error("sshd exited during start-up");
    const next = pending[0];
    if (next && ownsEndpoint(next) && (await readBanner(next.address, next.port))?.startsWith("SSH-2.0-")) {
      pending.shift();
      continue;
    }
    if (Date.now() > deadline) {
      throw new Error(`sshd did not answer on ${pending.map((e) => `${e.address}:${e.port}`).join(", ")}`);
    }
    await delay(pause);
    pause = Math.min(pause * 2, 100);
  }
}
