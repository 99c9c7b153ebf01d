import { ptySize, type StartedProcess } from "@fabric-ts/invoke";

/**
 * Forward local terminal resizes (SIGWINCH, seen as stdout's `resize` event) to a remote pty until the
 * command ends. Nothing happens when stdout is not a terminal.
 */
export function followTerminalSize(started: StartedProcess): StartedProcess {
  const stdout = process.stdout;
  if (!stdout.isTTY || !started.resize) return started;
  const onResize = () => started.resize?.(ptySize(stdout));
  stdout.on("resize", onResize);
  const stop = () => stdout.off("resize", onResize);
  const exited = started.wait();
  exited.then(stop, stop);
  return { ...started, wait: () => exited };
}
