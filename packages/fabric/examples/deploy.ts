// Seed (deep dive): deploying with rollback support — a fabfile.
//   fab -H web1 deploy --branch main       fab -H web1 rollback
// Ported mechanically; /opt/releases and /opt/app become ~/releases and ~/app, and the
// repository comes from config `repo` (default: the seed's).
import { type Connection, task } from "@fabric-ts/fabric";
import { z } from "zod";

const REPO = "git@github.com:org/app.git";

export const deploy = task(
  {
    args: { branch: z.string().default("main") },
    doc: "Clone a release, build it, switch to it atomically.",
  },
  async (c, { branch }) => {
    const repo = c.config.get<string>("repo", REPO);
    // Milliseconds too (the seed used seconds), so two deploys in one second get two releases.
    const releaseDir = `~/releases/${timestamp(new Date())}`;
    await c.run(`git clone --branch ${branch} --depth 1 ${repo} ${releaseDir}`);
    await c.run(`cd ${releaseDir} && pip install -r requirements.txt`);
    await c.run(`cd ${releaseDir} && python manage.py migrate --noinput`);
    // Atomic symlink swap
    await c.run(`mkdir -p ~/app && ln -sfn ${releaseDir} ~/app/current`);
    await c.run("systemctl restart myapp");
    // Keep only last 5 releases
    await c.run("ls -1dt ~/releases/*/ | tail -n +6 | xargs rm -rf");
  },
);

export const rollback = task(
  { doc: "Point ~/app/current at the previous release." },
  async (c: Connection) => {
    const previous = (await c.run("ls -1dt ~/releases/*/ | sed -n '2p'", { hide: true })).stdout.trim();
    if (!previous) {
      console.log("No previous release to roll back to");
      return null;
    }
    await c.run(`ln -sfn ${previous} ~/app/current`);
    await c.run("systemctl restart myapp");
    console.log(`Rolled back to ${previous}`);
    return previous;
  },
);

/** `20240102_030405_678` (Python's `%Y%m%d_%H%M%S`, plus milliseconds). */
export function timestamp(now: Date): string {
  const pad = (n: number, width = 2) => String(n).padStart(width, "0");
  const date = `${now.getFullYear()}${pad(now.getMonth() + 1)}${pad(now.getDate())}`;
  const time = `${pad(now.getHours())}${pad(now.getMinutes())}${pad(now.getSeconds())}`;
  return `${date}_${time}_${pad(now.getMilliseconds(), 3)}`;
}
