// More loopback hosts than one sshd can listen on (OpenSSH caps listen sockets at 16):
// several harness daemons, one combined ssh_config.
import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { StartSshdOptions } from "../../../testing/src/sshd/index.js";
import { type SshdHarness, startSshd } from "./fabric-sshd.js";

const PER_DAEMON = 10;

export interface ManyHosts {
  harnesses: SshdHarness[];
  /** `host1` … `hostN`, served on 127.0.0.1 … 127.0.0.N. */
  aliases: string[];
  /** One ssh_config covering every alias (each block keeps its daemon's port and known_hosts). */
  sshConfigPath: string;
  /** The login user (the same for every daemon). */
  user: string;
  stop(): Promise<void>;
}

export async function startManyHosts(count: number, options: StartSshdOptions = {}): Promise<ManyHosts> {
  const specs = Array.from({ length: count }, (_, i) => ({
    address: `127.0.0.${i + 1}`,
    alias: `host${i + 1}`,
  }));
  const chunks: (typeof specs)[] = [];
  for (let i = 0; i < specs.length; i += PER_DAEMON) chunks.push(specs.slice(i, i + PER_DAEMON));
  const harnesses: SshdHarness[] = [];
  const dir = await mkdtemp(join(tmpdir(), "fabric-many-"));
  try {
    for (const chunk of chunks) harnesses.push(await startSshd({ ...options, hosts: chunk }));
    const texts = await Promise.all(harnesses.map((h) => readFile(h.sshConfigPath, "utf8")));
    const sshConfigPath = join(dir, "ssh_config");
    await writeFile(sshConfigPath, texts.join("\n"));
    return {
      harnesses,
      aliases: specs.map((s) => s.alias),
      sshConfigPath,
      user: harnesses[0]!.user,
      async stop() {
        await Promise.all(harnesses.map((h) => h.stop()));
        await rm(dir, { recursive: true, force: true });
      },
    };
  } catch (error) {
    await Promise.all(harnesses.map((h) => h.stop()));
    await rm(dir, { recursive: true, force: true });
    throw error;
  }
}
