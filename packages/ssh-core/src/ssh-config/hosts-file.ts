/**
 * The default name check for CanonicalizeHostname: /etc/hosts only, synchronously and without
 * network traffic. Callers that want DNS pass their own `resolveHostname`.
 */
import { readFileSync } from "node:fs";

export function hostsFileResolver(path = "/etc/hosts"): (name: string) => boolean {
  let names: Set<string> | undefined;
  return (name) => {
    if (names === undefined) {
      names = new Set();
      let text = "";
      try {
        text = readFileSync(path, "utf8");
      } catch {
        // no hosts file: nothing resolves
      }
      for (const line of text.split("\n")) {
        const fields = line.replace(/#.*/, "").trim().split(/\s+/);
        for (const field of fields.slice(1)) names.add(field.toLowerCase());
      }
    }
    return names.has(name.replace(/\.$/, "").toLowerCase());
  };
}
