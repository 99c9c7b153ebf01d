import { join } from "node:path";
import type { SshdHost } from "./hosts.js";

/** OpenSSH's sshd listens on at most 16 sockets (MAX_LISTEN_SOCKS); more hosts need more daemons. */
export const MAX_LISTEN_SOCKETS = 16;

/** One sshd process of a harness: the hosts it listens for and its own config and log files. */
export interface Shard {
  hosts: SshdHost[];
  sshdConfigPath: string;
  logPath: string;
}

/**
 * Splits the hosts over as few daemons as the listen-socket cap allows. The first daemon keeps the
 * plain file names (`sshd_config`, `sshd.log`), so a harness of up to 16 hosts looks as before.
 */
export function planShards(dir: string, hosts: readonly SshdHost[], perDaemon = MAX_LISTEN_SOCKETS): Shard[] {
  const shards: Shard[] = [];
  for (let start = 0; start < hosts.length; start += perDaemon) {
    const n = shards.length + 1;
    shards.push({
      hosts: hosts.slice(start, start + perDaemon),
      sshdConfigPath: join(dir, n === 1 ? "sshd_config" : `sshd_config.${n}`),
      logPath: join(dir, n === 1 ? "sshd.log" : `sshd.${n}.log`),
    });
  }
  return shards;
}
