// Seed (deep dive): downloading logs for analysis — a fabfile.
//   remote_path = f"/var/log/{service}/error.log"
//   local_path = f"logs/{c.host}_{service}_error.log"
//   c.get(remote_path, local_path)
// /var/log becomes ~/log. The local path is relative to the current directory; `logs/` is created.
import { task } from "@fabric-ts/fabric";
import { z } from "zod";

export const fetchLogs = task(
  {
    args: { service: z.string().default("myapp") },
    doc: "Download a service's error log.",
  },
  async (c, { service }) => {
    const remotePath = `~/log/${service}/error.log`;
    const localPath = `logs/${c.host}_${service}_error.log`;
    const result = await c.get(remotePath, localPath);
    return result.local;
  },
);
