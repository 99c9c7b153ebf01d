import type { Readable } from "node:stream";
import type { ServerChannel } from "ssh2";
import { forgetFinishedWrite } from "./ssh2-internals.js";

/**
 * Copies a command's stdout and stderr to a server channel one write at a time, in the order the chunks
 * arrive. stdout and stderr share the channel's window, and ssh2 resumes only one parked write per window
 * adjust (and replays a stale stdout chunk before a parked stderr one), so two writes waiting at once can
 * stall the channel for good. Resolves once both sources have ended and every chunk has been handed to
 * the SSH layer, or once the channel has closed (what is left is then dropped).
 */
export function copyOutput(stdout: Readable, stderr: Readable, channel: ServerChannel): Promise<void> {
  const queue: { chunk: Buffer; target: "stdout" | "stderr"; source: Readable }[] = [];
  let writing = false;
  let open = 2;
  let gone = false;
  let settle: () => void = () => {};
  const done = new Promise<void>((resolve) => {
    settle = resolve;
  });
  const finishIfIdle = () => {
    if (gone || (open === 0 && !writing && queue.length === 0)) settle();
  };

  const pump = () => {
    if (writing || gone) return;
    const next = queue.shift();
    if (!next) return finishIfIdle();
    writing = true;
    const target = next.target === "stdout" ? channel : channel.stderr;
    target.write(next.chunk, () => {
      forgetFinishedWrite(channel);
      writing = false;
      next.source.resume();
      pump();
    });
  };

  const follow = (source: Readable, target: "stdout" | "stderr") => {
    source.on("data", (chunk: Buffer) => {
      if (gone) return;
      source.pause();
      queue.push({ chunk, target, source });
      pump();
    });
    // "close" follows "end", and also comes alone when the stream is destroyed (a failed spawn).
    source.once("close", () => {
      open--;
      finishIfIdle();
    });
    source.on("error", () => {});
  };
  follow(stdout, "stdout");
  follow(stderr, "stderr");

  // ssh2 never calls a write's callback once the channel is closed: drain the sources so the command is
  // not left blocked on a full pipe, and stop waiting.
  channel.once("close", () => {
    gone = true;
    queue.length = 0;
    stdout.resume();
    stderr.resume();
    settle();
  });
  return done;
}
