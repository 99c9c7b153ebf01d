import { SecretRedactor, writeDirect } from "@fabric-ts/invoke";
import type { HostOutcome } from "./summary.js";

/** The `schema` field of every event: raised when an event changes in a way readers must know. */
export const EVENT_SCHEMA = 1;

/**
 * One NDJSON event of `fab --json` (one object per line on stdout). Each line also carries
 * `schema` ({@link EVENT_SCHEMA}) as its first field.
 */
export type FabEvent =
  | { event: "start"; host: string; task?: string; command?: string }
  | { event: "stdout" | "stderr"; host: string; line: string }
  | ({ event: "exit"; task?: string } & HostOutcome)
  | {
      event: "summary";
      ok: boolean;
      hosts: number;
      succeeded: string[];
      failed: string[];
      /** Hosts that could not be reached (also in `failed` unless `--skip-unreachable`). */
      unreachable: string[];
      skipped: string[];
      durationMs: number;
    }
  | { event: "error"; message: string; host?: string };

/**
 * Writes events as JSON lines. Every string in an event is scrubbed of the registered secrets
 * (sudo password, login password, key passphrase, any config value under a secret key) before it
 * is written. Pass the program's {@link SecretRedactor} to share its secrets.
 */
export class JsonEvents {
  readonly stream: NodeJS.WritableStream;
  readonly #secrets: SecretRedactor;

  constructor(
    stream: NodeJS.WritableStream,
    secrets: SecretRedactor | Iterable<string | null | undefined> = [],
  ) {
    this.stream = stream;
    if (secrets instanceof SecretRedactor) this.#secrets = secrets;
    else {
      this.#secrets = new SecretRedactor();
      for (const secret of secrets) this.addSecret(secret);
    }
  }

  /** Never let this value appear in an event. Empty values are ignored. */
  addSecret(secret: string | null | undefined): void {
    this.#secrets.add(secret);
  }

  emit(event: FabEvent): void {
    const line = this.format(event);
    writeDirect(() => this.stream.write(line));
  }

  /** The event's line, end of line included. */
  format(event: FabEvent): string {
    return `${JSON.stringify({ schema: EVENT_SCHEMA, ...event }, (_key, value: unknown) => (typeof value === "string" ? this.redact(value) : value))}\n`;
  }

  redact(text: string): string {
    return this.#secrets.redact(text);
  }
}
