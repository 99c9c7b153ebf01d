// Fabric 1's `reboot` / Ansible's `reboot`: issue the reboot, see the SSH connection drop, dial
// again until the host answers with the same host key, and report its new uptime. The Connection
// is open and usable afterwards.
import { setTimeout as sleep } from "node:timers/promises";
import { isSshError } from "@fabric-ts/ssh-core/errors";
import type { Connection } from "../connection/connection.js";
import { RebootFailed } from "../errors/index.js";
import { recordChange } from "./helper-session.js";
import { type SudoOption, stderrOf } from "./remote-file.js";

export interface RebootOptions {
  /** The command that reboots the host. @default "reboot" */
  command?: string;
  /** Run `command` under sudo (`true`, or as this user). @default true */
  sudo?: SudoOption;
  /** Seconds allowed for the whole reboot: going down, then answering SSH again. @default 600 */
  waitTimeout?: number;
  /** Seconds between attempts to reconnect. @default 2 */
  pollInterval?: number;
  /** Prints the host's uptime in seconds as its first word. @default "cat /proc/uptime" (Linux) */
  uptimeCommand?: string;
}

export interface RebootResult {
  /** Seconds since the host (re)booted, read after it came back. */
  uptime: number;
  /** From issuing the command to the host answering again. */
  elapsedMs: number;
  /** `SHA256:…` of the host key, the same before and after. */
  hostKey: string;
}

/**
 * Reboot the host and wait until it is back: the command runs (its own connection loss is
 * expected), the connection must drop, then the host is dialled every `pollInterval` seconds until
 * SSH answers with the host key it had before; resolves to the new uptime. Counts as changed.
 * @throws {RebootFailed} when the command fails while the connection stays up, the host does not go
 *   down or come back within `waitTimeout`, or it comes back with another host key.
 */
export async function reboot(c: Connection, options: RebootOptions = {}): Promise<RebootResult> {
  const waitMs = (options.waitTimeout ?? 600) * 1000;
  const pollMs = (options.pollInterval ?? 2) * 1000;
  if (!(waitMs > 0) || !(pollMs >= 0))
    throw new TypeError("waitTimeout must be > 0 and pollInterval >= 0 (seconds)");
  return rebootAndWait(c, options, waitMs, pollMs);
}

/**
 * `work`'s outcome, or `onTimeout` once `ms` have passed. The timer is cancelled either way, so no
 * timer (and no abort listener) outlives the race however many polls a reboot takes.
 */
async function within<T, U>(work: Promise<T>, ms: number, onTimeout: U): Promise<T | U> {
  const timer = new AbortController();
  try {
    return await Promise.race([
      work,
      sleep(Math.max(0, ms), onTimeout, { signal: timer.signal }).catch(() => onTimeout),
    ]);
  } finally {
    timer.abort();
  }
}

async function rebootAndWait(
  c: Connection,
  options: RebootOptions,
  waitMs: number,
  pollMs: number,
): Promise<RebootResult> {
  const command = options.command ?? "reboot";
  const sudo = options.sudo ?? true;

  await c.open();
  const client = c.client;
  const hostKey = client?.hostKey?.fingerprint;
  if (!client || !hostKey)
    throw new RebootFailed(`${c.originalHost}: no host key recorded for the connection`);
  const started = performance.now();
  const deadline = started + waitMs;
  const dropped = new Promise<void>((resolve) => {
    if (!client.isConnected) resolve();
    else client.once("close", () => resolve());
  });

  const run = (
    sudo
      ? c.sudo(command, { hide: true, warn: true, ...(typeof sudo === "string" ? { user: sudo } : {}) })
      : c.run(command, { hide: true, warn: true })
  ).then(
    (result) => ({ result, error: undefined }),
    (error: unknown) => ({ result: undefined, error }),
  );
  const remaining = () => deadline - performance.now();
  // A frozen host answers nothing: neither the command's end nor the drop may ever come.
  const first = await within(Promise.race([run, dropped.then(() => null)]), remaining(), "timeout" as const);
  if (first === "timeout") {
    throw new RebootFailed(
      `${c.originalHost}: neither \`${command}\` ended nor the connection dropped within ${waitMs / 1000}s`,
    );
  }
  if (first !== null && client.isConnected) {
    // The command ended while the connection is still up: fine if it succeeded (the reboot is on its way).
    const { result, error } = first;
    if (error !== undefined || (result && result.exited !== 0 && result.exited !== null)) {
      // Give a connection that is going down a moment to say so before calling it a failure.
      const down = await within(
        dropped.then(() => true),
        2000,
        false,
      );
      if (!down) {
        const detail =
          error instanceof Error
            ? error.message
            : `exit ${result?.exited}: ${result ? stderrOf(c, result) : ""}`;
        throw new RebootFailed(`${c.originalHost}: the reboot command failed (${detail})`, { cause: error });
      }
    }
  }
  const wentDown = await within(
    dropped.then(() => true),
    remaining(),
    false,
  );
  if (!wentDown) {
    throw new RebootFailed(
      `${c.originalHost}: the connection did not drop within ${waitMs / 1000}s after \`${command}\``,
    );
  }
  await c.close();

  await reconnect(c, deadline, pollMs);
  const after = c.client?.hostKey?.fingerprint;
  if (after !== hostKey) {
    await c.close();
    throw new RebootFailed(
      `${c.originalHost} came back with another host key (${after ?? "none"}, was ${hostKey})`,
    );
  }
  const elapsedMs = Math.round(performance.now() - started);
  const uptime = await readUptime(c, options.uptimeCommand ?? "cat /proc/uptime");
  recordChange(true);
  return { uptime, elapsedMs, hostKey };
}

/** Dial until the host answers (a changed host key is final, not retried). */
async function reconnect(c: Connection, deadline: number, pollMs: number): Promise<void> {
  let last: unknown;
  while (performance.now() < deadline) {
    const remaining = deadline - performance.now();
    const attempt = c.open().then(
      () => true,
      (error: unknown) => {
        last = error;
        return false;
      },
    );
    const opened = await within(attempt, remaining, false);
    if (opened) return;
    if (isHostKeyError(last)) {
      throw new RebootFailed(
        `${c.originalHost} came back with another host key: ${(last as Error).message}`,
        { cause: last },
      );
    }
    await sleep(Math.min(pollMs, Math.max(0, deadline - performance.now())));
  }
  throw new RebootFailed(
    `${c.originalHost} did not answer SSH again in time${last instanceof Error ? ` (last error: ${last.message})` : ""}`,
    { cause: last },
  );
}

async function readUptime(c: Connection, command: string): Promise<number> {
  const result = await c.run(command, { hide: true, warn: true });
  const uptime = Number.parseFloat(result.stdout.trim().split(/\s+/)[0] ?? "");
  if (result.exited !== 0 || !Number.isFinite(uptime)) {
    throw new RebootFailed(
      `${c.originalHost} is back, but \`${command}\` gave no uptime (exit ${result.exited}): ${result.stdout.trim()} ${stderrOf(c, result)}`,
    );
  }
  return uptime;
}

function isHostKeyError(error: unknown): boolean {
  for (let e = error; e instanceof Error; e = e.cause) {
    if (isSshError(e, "HostKeyError")) return true;
  }
  return false;
}
