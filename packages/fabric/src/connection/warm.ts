import type { SshClient, SshClientOptions } from "@fabric-ts/ssh-core";
import type { ResolvedSshConfig } from "@fabric-ts/ssh-core/ssh-config";
import type { FabricConfig } from "../config/fabric-config.js";

/** Warm connections for one Connection: how long an idle master lives, and where sockets go. */
export interface WarmSettings {
  /** ms; 0 keeps the master until it is stopped or its connection drops. */
  idleMs: number;
  /** The control directory (config `persistDir`), or undefined for the default. */
  dir: string | undefined;
}

/** `--persist` / `persist: true` without a duration: masters live 10 minutes after their last use. */
export const DEFAULT_PERSIST_SECONDS = 600;

/**
 * Whether this Connection goes through a warm master, and with which idle time. Config `persist`
 * decides when set (`false` turns warm connections off even where ssh_config asks for them; `true`, a
 * number of seconds or a duration like `"10m"` turns them on); otherwise ssh_config does, as for
 * OpenSSH: `ControlMaster auto` (or `autoask`, `yes`) with `ControlPersist` other than `no`, unless
 * `ControlPath none`. ssh_config's ControlPath itself is never used (see the docs).
 * @throws {TypeError} for a `persist` value that is no duration.
 */
export function warmSettings(sshConfig: ResolvedSshConfig, config: FabricConfig): WarmSettings | null {
  const persist = config.get<unknown>("persist", null);
  const dirValue = config.get<unknown>("persistDir", null);
  const dir = typeof dirValue === "string" && dirValue !== "" ? dirValue : undefined;
  if (persist !== null && persist !== undefined) {
    const seconds = persistSeconds(persist);
    return seconds === null ? null : { idleMs: seconds * 1000, dir };
  }
  const master = sshConfig.get("controlmaster");
  const controlPersist = sshConfig.get("controlpersist");
  if (!master || !["yes", "true", "auto", "autoask"].includes(master)) return null;
  if (!controlPersist || controlPersist === "no" || controlPersist === "false") return null;
  const seconds = controlPersist === "yes" || controlPersist === "true" ? 0 : Number(controlPersist);
  return Number.isFinite(seconds) ? { idleMs: seconds * 1000, dir } : null;
}

/** Seconds of a `persist` value (0: no expiry), or null for off. */
export function persistSeconds(value: unknown): number | null {
  if (value === false || value === "no" || value === "false") return null;
  if (value === true || value === "yes" || value === "true" || value === "") return DEFAULT_PERSIST_SECONDS;
  if (typeof value === "number" && Number.isFinite(value) && value >= 0) return value;
  if (typeof value === "string") {
    const seconds = parseDuration(value);
    if (seconds !== null) return seconds;
  }
  throw new TypeError(
    `persist: expected true, false, seconds or a duration like "10m" or "1h30m", got ${JSON.stringify(value)}`,
  );
}

/** OpenSSH's time format: `90`, `90s`, `10m`, `1h30m`, `2d`, `1w`. */
function parseDuration(text: string): number | null {
  const units: Record<string, number> = { "": 1, s: 1, m: 60, h: 3600, d: 86400, w: 604800 };
  const parts = [
    ...text
      .trim()
      .toLowerCase()
      .matchAll(/(\d+)([smhdw]?)/g),
  ];
  if (parts.length === 0 || parts.map((p) => p[0]).join("") !== text.trim().toLowerCase()) return null;
  return parts.reduce((total, [, n, unit]) => total + Number(n) * (units[unit ?? ""] ?? 1), 0);
}

/**
 * Connect through the destination's master (starting it when needed); null when no master can be
 * used, and the caller connects directly. A control directory that fails its check is reported on
 * stderr once per process; other fallbacks are silent (the run works the same, only slower).
 */
export async function connectWarm(options: SshClientOptions, warm: WarmSettings): Promise<SshClient | null> {
  const { connectThroughMaster, ControlDirError } = await import("@fabric-ts/ssh-core/mux");
  return connectThroughMaster(options, {
    idleMs: warm.idleMs,
    ...(warm.dir ? { dir: warm.dir } : {}),
    onFallback: (reason, error) => {
      if (error instanceof ControlDirError && !warned.has(reason)) {
        warned.add(reason);
        process.stderr.write(`Warm connections disabled: ${reason}\n`);
      }
    },
  });
}

const warned = new Set<string>();
