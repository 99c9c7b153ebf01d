import { normalizeHide, type RunOptions } from "@fabric-ts/invoke";
import type { HostStreams } from "./host-output.js";

/** The parts of a Context (or Connection) that output routing touches. */
export interface RoutableContext {
  config: {
    run: { hide: unknown; outStream: unknown; errStream: unknown; asynchronous: boolean; disown: boolean };
  };
  run(command: string, options?: RunOptions): Promise<unknown>;
  sudo(command: string, options?: RunOptions): Promise<unknown>;
}

/**
 * Make `streams` the default out/err streams of every `run()`/`sudo()` on `context` and on the
 * contexts derived from it (`cd()`, `prefix()`), for streams the call does not hide. Options and
 * config values set by the caller still win. Partial lines are flushed when each command ends.
 * @returns undoes the routing on `context`
 */
export function routeOutput(context: RoutableContext, streams: HostStreams): () => void {
  const { run, sudo } = Object.getPrototypeOf(context) as RoutableContext;
  const wrap = (method: RoutableContext["run"]) =>
    async function routed(
      this: RoutableContext,
      command: string,
      options: RunOptions = {},
    ): Promise<unknown> {
      try {
        return await method.call(this, command, withStreams(this, options, streams));
      } finally {
        streams.flush();
      }
    };
  const patch = { run: wrap(run), sudo: wrap(sudo) };
  // Own properties, so derived contexts (shallow copies of this one) carry them too.
  Object.assign(context, patch);
  return () => {
    const own = context as unknown as Record<string, unknown>;
    if (own.run === patch.run) delete own.run;
    if (own.sudo === patch.sudo) delete own.sudo;
  };
}

/** `options` plus the host's streams for each stream the call shows and has no stream for yet. */
export function withStreams<O extends RunOptions>(
  context: Pick<RoutableContext, "config">,
  options: O,
  streams: HostStreams | undefined,
): O {
  if (!streams) return options;
  const run = context.config.run;
  // Asynchronous and disowned commands hide their output: leave them alone.
  if ((options.asynchronous ?? run.asynchronous) || (options.disown ?? run.disown)) return options;
  const hidden = normalizeHide(options.hide !== undefined ? options.hide : run.hide);
  const routed: { outStream?: HostStreams["out"]; errStream?: HostStreams["err"] } = {};
  if (options.outStream === undefined && !run.outStream && !hidden.includes("stdout"))
    routed.outStream = streams.out;
  if (options.errStream === undefined && !run.errStream && !hidden.includes("stderr"))
    routed.errStream = streams.err;
  return { ...options, ...routed };
}
