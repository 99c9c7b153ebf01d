// The fabfile of bench scenario (g): several tasks, zod arguments, a local helper module.
// Its Python twin is fabfile.py beside it; both print exactly "ok" for `deploy`.
import { task } from "@fabric-ts/fabric";
import { z } from "zod";
import { hostLine, type ReleasePlan, releasePlan } from "./lib/release.ts";

export const deploy = task(
  {
    doc: "Check the host and plan a release of a branch.",
    args: {
      branch: z.string().default("main"),
      keep: z.coerce.number().int().positive().default(5),
    },
  },
  async (c, { branch, keep }) => {
    const plan: ReleasePlan = releasePlan("/srv/app", branch, keep);
    const line = await hostLine(c);
    if (plan.keep < 1) throw new Error("keep must be positive");
    console.log(line);
  },
);

export const status = task({ doc: "Show the host's uptime." }, async (c) => {
  await c.run("uptime");
});

export const rollback = task(
  { doc: "Point current at an earlier release.", args: { steps: z.coerce.number().int().min(1).default(1) } },
  async (c, { steps }) => {
    await c.run(`ls -1dt /srv/app/releases/* | sed -n ${steps + 1}p`);
  },
);

export const logs = task(
  {
    doc: "Tail the app's log.",
    args: { lines: z.coerce.number().int().default(50), follow: z.boolean().default(false) },
  },
  async (c, { lines, follow }) => {
    await c.run(`tail -n ${lines} ${follow ? "-f " : ""}/srv/app/log/app.log`);
  },
);
