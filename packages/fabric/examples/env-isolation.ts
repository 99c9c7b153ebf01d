// Seed (deep dive, security): "Use Connection.run(command, env={}) to avoid leaking local
// environment variables to remote hosts."
// In fabric-ts the local environment never reaches the host: only what `env` names is sent, so
// `env: {}` is already the default; pass the variables the command needs.
import { Connection } from "@fabric-ts/fabric";
import { runIfMain } from "./support/run-main.js";

/** The remote environment of a command, as `NAME=value` lines. */
export async function remoteEnvironment(c: Connection, env: Record<string, string> = {}): Promise<string[]> {
  const result = await c.run("env", { env, hide: true });
  return result.stdout.trim().split("\n");
}

await runIfMain(import.meta.url, async (host = "web1") => {
  await using c = new Connection(host);
  return (await remoteEnvironment(c, { APP_MODE: "production" })).join("\n");
});
