import type { HostOutcome } from "./summary.js";

/** One NDJSON event of `fab --json` (one object per line on stdout). */
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

const REDACTED = "****";

/**
 * Writes events as JSON lines. Every string in an event is scrubbed of the registered secrets
 * (sudo password, login password, key passphrase) before it is written.
 */
export class JsonEvents {
  readonly stream: NodeJS.WritableStream;
  readonly #secrets = new Set<string>();

  constructor(stream: NodeJS.WritableStream, secrets: Iterable<string | null | undefined> = []) {
    this.stream = stream;
    for (const secret of secrets) this.addSecret(secret);
  }

  /** Never let this value appear in an event. Empty values are ignored. */
  addSecret(secret: string | null | undefined): void {
    if (typeof secret === "string" && secret !== "") this.#secrets.add(secret);
  }

  emit(event: FabEvent): void {
    this.stream.write(this.format(event));
  }

  /** The event's line, end of line included. */
  format(event: FabEvent): string {
    return `${JSON.stringify(event, (_key, value: unknown) => (typeof value === "string" ? this.redact(value) : value))}\n`;
  }

  redact(text: string): string {
    let out = text;
    for (const secret of this.#secrets) out = out.split(secret).join(REDACTED);
    return out;
  }
}
