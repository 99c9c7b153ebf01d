import { chmod, mkdir, readFile, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { startEmbeddedHosts, startSshd } from "@fabric-ts/testing";

/** The three demo hosts, whichever server plays them. */
export interface DemoHosts {
  readonly names: readonly string[];
  /** Where each host keeps `releases/` and `app/` (its login directory for embedded hosts). */
  appDir(name: string): string;
  /** Extra `fab` flags the hosts need (`--set app_root=…` when hosts share a login directory). */
  readonly fabFlags: readonly string[];
  /** Which server runs them, for the banner. */
  readonly description: string;
  stop(): Promise<void>;
}

export const HOST_NAMES = ["web1", "web2", "web3"] as const;

/**
 * Start the hosts under `root/hosts` and write `root/work/ssh_config` (Host blocks with keys and a
 * known_hosts file, strict host key checking on) for `fab -S`.
 */
export async function startDemoHosts(root: string, realSshd: boolean): Promise<DemoHosts> {
  const hostsDir = join(root, "hosts");
  await mkdir(hostsDir, { recursive: true });
  const sshConfigTarget = join(root, "work", "ssh_config");
  if (!realSshd) {
    const hosts = await startEmbeddedHosts({ hosts: [...HOST_NAMES], rootDir: hostsDir });
    await writeFile(sshConfigTarget, await readFile(hosts.sshConfigPath, "utf8"));
    return {
      names: HOST_NAMES,
      appDir: (name) => hosts.host(name).dir,
      fabFlags: [],
      description:
        "3 embedded SSH hosts (in-process ssh2 servers, each with its own port, host key and home)",
      stop: () => hosts.stop(),
    };
  }
  // One real sshd answering on 127.0.0.1-3. Its hosts share one login user, hence one home: give each
  // host its own app directory through config instead.
  const sshd = await startSshd({
    hosts: HOST_NAMES.map((alias, i) => ({ alias, address: `127.0.0.${i + 1}` })),
  });
  await chmod(root, 0o755);
  await chmod(hostsDir, 0o1777); // the sshd login user (fabts when root) creates its dirs here
  await writeFile(sshConfigTarget, await readFile(sshd.sshConfigPath, "utf8"));
  return {
    names: HOST_NAMES,
    appDir: (name) => join(hostsDir, name),
    fabFlags: ["--set", `app_root=${join(hostsDir, "{host}")}`],
    description: `a real OpenSSH sshd on 127.0.0.1-3 (port ${sshd.port}, user ${sshd.user})`,
    stop: () => sshd.stop(),
  };
}
