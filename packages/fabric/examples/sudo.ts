// Seed (deep dive): sudo operations.
//   c.sudo("apt-get update -y")
//   c.sudo("systemctl restart nginx", user="www-data")
// The password comes from config `sudo.password` (fabric.yaml, `fab --prompt-for-sudo-password`, …);
// passwordless sudo works the same way.
import { Connection, type Result } from "@fabric-ts/fabric";
import { runIfMain } from "./support/run-main.js";

export async function sudoOperations(c: Connection): Promise<[Result, Result]> {
  const update = await c.sudo("apt-get update -y");
  const restart = await c.sudo("systemctl restart nginx", { user: "www-data" });
  return [update, restart];
}

await runIfMain(import.meta.url, async (host = "web1") => {
  await using c = new Connection(host);
  await sudoOperations(c);
});
