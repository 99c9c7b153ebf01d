import type { Readable, Writable } from "node:stream";

/**
 * One listener per shared emitter, however many commands run at once. Many concurrent `run()`s
 * read the same stdin and often share one AbortSignal; a listener each would pile up (and make
 * Node print MaxListenersExceededWarning past ten).
 */

type Subscribers<T> = Set<(value: T) => void>;

const abortSubscribers = new WeakMap<AbortSignal, Subscribers<void>>();

/** Call `listener` once when `signal` aborts; returns the unsubscribe function. */
export function onAbort(signal: AbortSignal, listener: () => void): () => void {
  let subscribers = abortSubscribers.get(signal);
  if (!subscribers) {
    const created: Subscribers<void> = new Set();
    subscribers = created;
    abortSubscribers.set(signal, created);
    signal.addEventListener(
      "abort",
      () => {
        abortSubscribers.delete(signal);
        for (const subscriber of [...created]) subscriber();
      },
      { once: true },
    );
  }
  const entry = () => listener();
  subscribers.add(entry);
  return () => {
    subscribers.delete(entry);
  };
}

/** What a stdin reader receives. */
export interface InputSubscriber {
  data(chunk: Buffer | string): void;
  end(): void;
}

interface InputHub {
  readonly subscribers: Set<InputSubscriber>;
  detach(): void;
}

const inputHubs = new WeakMap<Readable, InputHub>();

/**
 * Receive `source`'s data and end through the one pair of listeners shared by every subscriber;
 * the source flows while anyone subscribes. Returns the unsubscribe function; the last one to leave
 * removes the listeners and pauses the source again unless it was flowing before the first came
 * (one run ending never pauses the input of another still running).
 */
export function subscribeInput(source: Readable, subscriber: InputSubscriber): () => void {
  let hub = inputHubs.get(source);
  if (!hub) {
    const subscribers = new Set<InputSubscriber>();
    const wasFlowing = source.readableFlowing;
    const onData = (chunk: Buffer | string) => {
      for (const s of [...subscribers]) s.data(chunk);
    };
    const onEnd = () => {
      for (const s of [...subscribers]) s.end();
    };
    source.on("data", onData);
    source.once("end", onEnd);
    source.resume();
    const created: InputHub = {
      subscribers,
      detach: () => {
        source.off("data", onData);
        source.off("end", onEnd);
        inputHubs.delete(source);
        if (wasFlowing !== true) source.pause();
      },
    };
    hub = created;
    inputHubs.set(source, created);
  }
  const current = hub;
  current.subscribers.add(subscriber);
  return () => {
    if (!current.subscribers.delete(subscriber)) return;
    if (current.subscribers.size === 0) current.detach();
  };
}

const drainWaiters = new WeakMap<Writable, Set<() => void>>();

/**
 * Call `callback` once when `sink` drains (or closes: an erroring sink is destroyed and closes).
 * Every output pump writing to one sink (often process.stdout, under `-P` one per host) waits through
 * the same pair of listeners.
 */
export function onceDrained(sink: Writable, callback: () => void): void {
  let waiters = drainWaiters.get(sink);
  if (!waiters) {
    const created = new Set<() => void>();
    waiters = created;
    drainWaiters.set(sink, created);
    const release = () => {
      sink.off("drain", release);
      sink.off("close", release);
      drainWaiters.delete(sink);
      for (const waiter of created) waiter();
    };
    sink.on("drain", release);
    sink.once("close", release);
  }
  waiters.add(callback);
}
