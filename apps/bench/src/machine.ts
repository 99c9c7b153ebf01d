import { spawnSync } from "node:child_process";
import { cpus, release, totalmem } from "node:os";

export interface MachineInfo {
  cpu: string;
  cores: number;
  memory: string;
  kernel: string;
  node: string;
  openssh: string;
  pythonFabric: string;
  ssh2Crypto: string;
}

function tryRun(file: string, args: string[]): string {
  const result = spawnSync(file, args, { encoding: "utf8" });
  if (result.error) return "not installed";
  // `ssh -V` prints its version on stderr.
  return (result.stdout.trim() || result.stderr.trim()).split("\n")[0] ?? "";
}

/**
 * Whether ssh2 loaded its native crypto binding (it falls back to pure JS ciphers without it): the
 * ssh2 that `from` (a file path) resolves, by default the bench's own.
 */
export async function ssh2Binding(from: string = import.meta.url): Promise<string> {
  try {
    const { createRequire } = await import("node:module");
    const require = createRequire(from);
    const ssh2Dir = require.resolve("ssh2");
    const bindingPath = ssh2Dir.replace(
      /lib[/\\]index\.js$/,
      "lib/protocol/crypto/build/Release/sshcrypto.node",
    );
    require(bindingPath);
    return "native binding loaded";
  } catch {
    return "pure JS (native binding missing)";
  }
}

export async function describeMachine(python: string | undefined): Promise<MachineInfo> {
  const cpu = cpus()[0]?.model ?? "unknown";
  return {
    cpu,
    cores: cpus().length,
    memory: `${(totalmem() / 1024 ** 3).toFixed(0)} GiB`,
    kernel: `Linux ${release()}`,
    node: process.version,
    openssh: tryRun("ssh", ["-V"]),
    pythonFabric: python
      ? tryRun(python, [
          "-c",
          "import fabric, paramiko; print('Fabric', fabric.__version__, '/ Paramiko', paramiko.__version__)",
        ])
      : "not installed",
    ssh2Crypto: await ssh2Binding(),
  };
}
