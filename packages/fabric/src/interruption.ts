import { setMaxListeners } from "node:events";

/**
 * Whether this process was interrupted (SIGINT/SIGTERM, as `fab` handles them), shared by every copy
 * of this package a process loads (the CLI bundle and a tasks file may each load one): the state
 * lives on `globalThis`. Transfers watch {@link interruptSignal} so an interrupted upload or
 * download removes its temporary file before the CLI exits.
 */
interface InterruptionState {
  signal: NodeJS.Signals | null;
  readonly controller: AbortController;
}

const KEY = Symbol.for("fabric-ts.interruption");

function state(): InterruptionState {
  const holder = globalThis as { [KEY]?: InterruptionState };
  holder[KEY] ??= { signal: null, controller: new AbortController() };
  return holder[KEY];
}

/** The signal that interrupted this process, or null. */
export function interruption(): NodeJS.Signals | null {
  return state().signal;
}

/** Record an interrupt (the first one counts) and abort {@link interruptSignal}. */
export function markInterrupted(signal: NodeJS.Signals): void {
  const current = state();
  if (current.signal) return;
  current.signal = signal;
  current.controller.abort(new Error(`Interrupted by ${signal}`));
}

/** Aborted once the process is interrupted. */
export function interruptSignal(): AbortSignal {
  return state().controller.signal;
}

/**
 * `signal` (if any) combined with {@link interruptSignal}: what a transfer should watch. Always a new
 * signal, so many concurrent transfers never pile listeners on the shared one. One transfer of a
 * tree hands it to every file it has in flight (dozens at once): each adds and later removes its own
 * abort listener, so Node's default warning at 11 listeners would be a false alarm here.
 */
export function withInterrupt(signal: AbortSignal | undefined): AbortSignal {
  const combined = AbortSignal.any(signal ? [signal, interruptSignal()] : [interruptSignal()]);
  setMaxListeners(0, combined);
  return combined;
}
