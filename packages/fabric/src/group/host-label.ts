/** What a host is called in prefixes, summaries and messages: the name it was given (before ssh_config's Hostname). */
export function hostLabel(connection: { readonly host: string; readonly originalHost?: string }): string {
  return connection.originalHost || connection.host;
}

/** Labels for a list of hosts, made unique (`web1`, `web1#2`) so duplicate hosts stay distinguishable. */
export function uniqueLabels(
  connections: readonly { readonly host: string; readonly originalHost?: string }[],
): string[] {
  const seen = new Map<string, number>();
  return connections.map((connection) => {
    const label = hostLabel(connection);
    const count = (seen.get(label) ?? 0) + 1;
    seen.set(label, count);
    return count === 1 ? label : `${label}#${count}`;
  });
}
