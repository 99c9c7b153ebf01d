// Runs `pnpm demo`'s program as a user would (a process, real `fab` processes, embedded hosts) and
// checks both what it printed and what it left on the hosts.
import { execFile } from "node:child_process";
import { mkdtemp, readdir, readFile, readlink, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { basename, join } from "node:path";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

const run = promisify(execFile);
const demoDir = join(import.meta.dirname, "..", "..");
const HOSTS = ["web1", "web2", "web3"];

describe("pnpm demo (embedded hosts)", () => {
  let root: string;
  let stdout: string;
  let stderr: string;

  beforeAll(async () => {
    // `pnpm test` builds everything first; this keeps a lone `vitest run` honest too (a no-op when fresh).
    await run(process.execPath, [join(demoDir, "../../node_modules/typescript/bin/tsc"), "-b"], {
      cwd: demoDir,
    });
    root = await mkdtemp(join(tmpdir(), "fabric-ts-demo-test-"));
    ({ stdout, stderr } = await run(process.execPath, ["dist/main.js", "--root", root], {
      cwd: demoDir,
      env: { ...process.env, NO_COLOR: "1" },
      maxBuffer: 16 * 1024 * 1024,
    }));
  }, 180_000);

  afterAll(async () => {
    if (root) await rm(root, { recursive: true, force: true });
  });

  const hostDir = (host: string) => join(root, "hosts", host);
  const appLog = async (host: string) =>
    (await readFile(join(hostDir(host), "app/log/app.log"), "utf8")).trim().split("\n");
  const releasesOf = async (host: string) => (await readdir(join(hostDir(host), "releases"))).sort();

  it("shows every step as the fab command a user would type, and a closing line", () => {
    for (const command of [
      "-S ssh_config -H web1,web2,web3 deploy",
      "-S ssh_config -H web1,web2,web3 --set deploy_env=production -P deploy",
      "-S ssh_config -H web1,web2,web3 rollback",
      "-S ssh_config -H web1,web2,web3 --set deploy_env=production -P push-config",
      "-S ssh_config -H web1,web2,web3 -P fetch-logs",
      "-S ssh_config restart --chunk-size 2",
    ]) {
      expect(stdout).toContain(`-r ${demoDir} ${command}\n`);
    }
    expect(stdout).toMatch(/^\[7\/7\] Where every host stands$/m);
    expect(stdout).toMatch(/^Done: 7 fab runs on 3 hosts in \d+\.\ds \(state kept in .+\)\.$/m);
  });

  it("prefixes host output and prints the summary table on stderr", () => {
    for (const host of HOSTS) {
      expect(stdout).toMatch(
        new RegExp(`^\\[${host}\\] app restarted: \\d{8}_\\d{6}_\\d{3} \\(main production\\)$`, "m"),
      );
      expect(stdout).toContain(`[${host}] server_name = api.example.com\n`);
    }
    expect(stderr).toMatch(/^HOST {2}STATUS {2}EXIT {2}DURATION$/m);
    expect(stderr).toMatch(/^web2 {2}ok /m);
    expect(stderr.match(/^3 ok$/gm)).toHaveLength(5);
    // push-config uses the idempotent helpers: their changed/ok count per host and in total.
    expect(stderr).toMatch(/^HOST {2}STATUS {2}EXIT {2}DURATION {2}CHANGES$/m);
    expect(stderr).toMatch(/^web1 {2}ok .* changed=2 ok=0$/m);
    expect(stderr).toMatch(/^3 ok; helpers: 6 changed, 0 ok$/m);
  });

  it("leaves two releases per host with current rolled back to the staging one", async () => {
    for (const host of HOSTS) {
      const [staging, production] = await releasesOf(host);
      expect(await releasesOf(host)).toHaveLength(2);
      const current = await readlink(join(hostDir(host), "app/current"));
      expect(basename(current)).toBe(staging);
      expect(await readFile(join(current, "REVISION"), "utf8")).toBe("develop staging\n");
      expect(await readFile(join(hostDir(host), "releases", production!, "REVISION"), "utf8")).toBe(
        "main production\n",
      );
      expect(stdout).toContain(`[${host}] current -> ${staging}\n`);
    }
  });

  it("pushed a production config rendered per host, with no temporary files left", async () => {
    for (const host of HOSTS) {
      const config = await readFile(join(hostDir(host), "app/config/app.conf"), "utf8");
      expect(config).toBe(
        `# app.conf for ${host} (production), rendered by \`fab push-config\`\n` +
          "server_name = api.example.com\nworkers = 4\nlog_level = warn\n",
      );
      expect(await readdir(join(hostDir(host), "app/config"))).toEqual(["app.conf"]);
      expect((await readdir(join(hostDir(host), "app"))).sort()).toEqual(["config", "current", "log"]);
    }
  });

  it("fetched each host's own log into logs/<host>/ before the rolling restart", async () => {
    expect(stdout).toContain("fetched: logs/web1/app.log, logs/web2/app.log, logs/web3/app.log\n");
    for (const host of HOSTS) {
      const fetched = (await readFile(join(root, "work/logs", host, "app.log"), "utf8")).trim().split("\n");
      const live = await appLog(host);
      expect(live.slice(0, fetched.length)).toEqual(fetched);
      expect(fetched.at(-1)).toMatch(/ reload \d{8}_/);
      expect(live.length).toBe(fetched.length + 1); // the rolling restart came after
    }
  });

  it("restarted chunk by chunk: web3 only after web1 and web2 had restarted", async () => {
    const lastRestart = async (host: string) => {
      const line = (await appLog(host)).at(-1) ?? "";
      expect(line).toMatch(/^\d+ restart /);
      return BigInt(line.split(" ")[0]!);
    };
    const [web1, web2, web3] = await Promise.all(HOSTS.map(lastRestart));
    expect(web3! > web1! && web3! > web2!).toBe(true);
    const step = stdout.slice(stdout.indexOf("[6/7]"), stdout.indexOf("[7/7]"));
    const chunk1 = step.indexOf("chunk 1/2 restarted: web1, web2");
    expect(chunk1).toBeGreaterThan(step.indexOf("[web1] app restarted"));
    expect(chunk1).toBeGreaterThan(step.indexOf("[web2] app restarted"));
    expect(step.indexOf("[web3] app restarted")).toBeGreaterThan(chunk1);
    expect(step).toContain("chunk 2/2 restarted: web3");
  });
});
