import { readFileSync } from "node:fs";
import { createRequire } from "node:module";

/** `version` from a package.json found from `from` (a module URL); "unknown" when unreadable. */
export function packageVersionOf(name: string, from: string): string {
  try {
    const path = createRequire(from).resolve(`${name}/package.json`);
    return (JSON.parse(readFileSync(path, "utf8")) as { version?: string }).version ?? "unknown";
  } catch {
    return "unknown";
  }
}

/** This package's version (same relative path from src/ and dist/). */
export function fabricVersion(): string {
  try {
    const url = new URL("../../package.json", import.meta.url);
    return (JSON.parse(readFileSync(url, "utf8")) as { version?: string }).version ?? "unknown";
  } catch {
    return "unknown";
  }
}

/** `fab --version`: Fabric, the SSH library and Invoke, one per line (as Fabric's three lines). */
export function versionLines(): string {
  const invoke = packageVersionOf("@fabric-ts/invoke", import.meta.url);
  const sshCore = packageVersionOf("@fabric-ts/ssh-core", import.meta.url);
  // ssh2 is ssh-core's dependency: resolve it from there, without loading it.
  let ssh2 = "unknown";
  try {
    const sshCorePackage = createRequire(import.meta.url).resolve("@fabric-ts/ssh-core/package.json");
    ssh2 = packageVersionOf("ssh2", `file://${sshCorePackage}`);
  } catch {}
  return `Fabric ${fabricVersion()} (fabric-ts)\nssh2 ${ssh2} (ssh-core ${sshCore})\nInvoke ${invoke} (fabric-ts)\n`;
}
