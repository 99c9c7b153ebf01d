import { AsyncLocalStorage } from "node:async_hooks";
import { isWritingDirect } from "@fabric-ts/invoke";
import type { HostStreams } from "./host-output.js";

/** The host whose task is running in the current async context. */
const current = new AsyncLocalStorage<HostStreams>();
let captures = 0;
let release: (() => void) | undefined;

/**
 * Run `body` so that what it prints to `process.stdout` / `process.stderr` (`console.log`,
 * `console.error`, `c.log()`, direct writes), and whatever it starts in turn, goes through
 * `streams`: the host's line-buffered prefix, or its JSON events. Several hosts may run at once;
 * each write goes to the host whose task made it (AsyncLocalStorage). Writes outside any such
 * task, and writes made under `writeDirect()`, pass through untouched. With `streams` undefined (plain
 * output), `body` just runs.
 */
export async function withTaskOutput<T>(
  streams: HostStreams | undefined,
  body: () => Promise<T>,
): Promise<T> {
  if (!streams) return body();
  if (captures++ === 0) release = capture();
  try {
    return await current.run(streams, body);
  } finally {
    streams.flush();
    if (--captures === 0) {
      release?.();
      release = undefined;
    }
  }
}

/** Route writes of the process's stdout and stderr; returns the undo. */
function capture(): () => void {
  const undo = [redirect(process.stdout, (s) => s.out), redirect(process.stderr, (s) => s.err)];
  return () => {
    for (const step of undo) step();
  };
}

function redirect(
  stream: NodeJS.WriteStream,
  pick: (streams: HostStreams) => NodeJS.WritableStream,
): () => void {
  const original = stream.write;
  const own = Object.hasOwn(stream, "write");
  const routed = function write(this: unknown, ...args: Parameters<NodeJS.WriteStream["write"]>): boolean {
    const streams = current.getStore();
    if (!streams || isWritingDirect()) return (original as (...a: unknown[]) => boolean).apply(stream, args);
    const target = pick(streams);
    return (target.write as (...a: unknown[]) => boolean).apply(target, args);
  } as NodeJS.WriteStream["write"];
  stream.write = routed;
  // Someone may have wrapped write after us: leave theirs in place.
  return () => {
    if (stream.write !== routed) return;
    if (own) stream.write = original;
    else delete (stream as { write?: unknown }).write;
  };
}
