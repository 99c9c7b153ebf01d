/**
 * `fab --masters` / `fab --stop-masters`: the background connections warm connections keep, one line
 * each (`user@host:port  pid N  idle expiry …  since …`).
 */
export async function masterLines(action: "list" | "stop", dir: string | undefined): Promise<string[]> {
  const { listMasters, stopMasters } = await import("@fabric-ts/ssh-core/mux");
  const masters = action === "stop" ? await stopMasters(dir ? { dir } : {}) : listMasters(dir);
  if (masters.length === 0)
    return [action === "stop" ? "No warm connections to stop." : "No warm connections."];
  return masters.map((m) => {
    const where = `${m.username}@${m.host}:${m.port}`;
    if (action === "stop") return `stopped ${where} (pid ${m.pid})`;
    const expiry = m.idleMs > 0 ? `${Math.round(m.idleMs / 1000)}s idle expiry` : "no idle expiry";
    return `${where}  pid ${m.pid}  ${expiry}  since ${new Date(m.startedAt).toISOString()}  socket ${m.socketPath}`;
  });
}
