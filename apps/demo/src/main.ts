// `pnpm demo`: the seed deploy story through the real `fab` CLI against three SSH hosts.
//   node dist/main.js [--real-sshd] [--root DIR]
//     --real-sshd  use a throwaway OpenSSH sshd on 127.0.0.1-3 instead of the embedded hosts
//     --root DIR   keep the hosts' sandboxes and the working directory in DIR (default: a temp dir, removed)
import { mkdir, mkdtemp, readdir, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { dirname, join, relative } from "node:path";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";
import { shellJoin } from "@fabric-ts/invoke";
import { runFab } from "./fab.js";
import { startDemoHosts } from "./hosts.js";
import { STORY } from "./story.js";

const demoDir = dirname(dirname(fileURLToPath(import.meta.url)));
const { values } = parseArgs({
  options: { "real-sshd": { type: "boolean", default: false }, root: { type: "string" } },
});

const started = performance.now();
const root = values.root ?? (await mkdtemp(join(tmpdir(), "fabric-ts-demo-")));
const work = join(root, "work");
await mkdir(work, { recursive: true });
const hosts = await startDemoHosts(root, values["real-sshd"] ?? false);
let failed = false;
try {
  console.log(`fabric-ts demo: ${hosts.description}`);
  console.log(`working directory ${work} (ssh_config, logs/); fabfile ${join(demoDir, "fabfile.ts")}\n`);
  const base = ["-r", demoDir, "-S", "ssh_config", ...hosts.fabFlags];
  for (const [index, step] of STORY.entries()) {
    console.log(`[${index + 1}/${STORY.length}] ${step.title}`);
    console.log(`$ fab ${shellJoin([...base, ...step.args])}`);
    const code = await runFab([...base, ...step.args], work);
    console.log("");
    if (code !== 0) {
      console.error(`demo: step ${index + 1} failed (fab exited ${code})`);
      failed = true;
      break;
    }
  }
  if (!failed) {
    const logs = await readdir(join(work, "logs"), { recursive: true });
    console.log(
      `fetched: ${logs
        .filter((p) => p.endsWith(".log"))
        .sort()
        .map((p) => join("logs", p))
        .join(", ")}`,
    );
  }
} finally {
  await hosts.stop();
  if (values.root === undefined) await rm(root, { recursive: true, force: true });
}
const seconds = ((performance.now() - started) / 1000).toFixed(1);
if (failed) process.exit(1);
console.log(
  `Done: ${STORY.length} fab runs on ${hosts.names.length} hosts in ${seconds}s` +
    (values.root === undefined
      ? " (sandboxes removed)."
      : ` (state kept in ${relative(process.cwd(), root) || "."}).`),
);
