/**
 * A host a task runs on: a host string (`"web1"`, `"deploy@web2:2222"`) or Connection options with
 * a `host` (`{ host: "web2", port: 2222 }`).
 */
export type HostSpec = string | HostKwargs;

/** Connection options naming their host. */
export interface HostKwargs {
  host: string;
  user?: string;
  port?: number;
  /** How the host is named in output (inventory hosts: the inventory name). */
  label?: string;
  [option: string]: unknown;
}

/** Every entry as Connection options (`"web1"` → `{ host: "web1" }`). */
export function normalizeHosts(hosts: readonly HostSpec[]): HostKwargs[] {
  return hosts.map((spec) => (typeof spec === "string" ? { host: spec } : { ...spec }));
}

/**
 * The hosts of `-H`: comma-separated, blanks around names ignored, empty entries dropped
 * (Fabric splits on `,` only, so `-H "a, b"` asked for host " b").
 */
export function parseHostsFlag(value: string | undefined | null): string[] {
  if (!value) return [];
  return value
    .split(",")
    .map((part) => part.trim())
    .filter((part) => part !== "");
}

/** How a host is shown: its `label` (an inventory name), the string as given, or `user@host:port`. */
export function hostSpecLabel(spec: HostKwargs): string {
  if (typeof spec.label === "string" && spec.label) return spec.label;
  const user = spec.user ? `${spec.user}@` : "";
  const port = spec.port !== undefined ? `:${spec.port}` : "";
  return `${user}${spec.host}${port}`;
}
