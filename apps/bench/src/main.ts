// `pnpm bench [--quick]`: throwaway sshd hosts on loopback, every scenario for fabric-ts and its
// peers, a table of medians, JSON in results/, and (with --write-results) RESULTS.md.
import { chmod, mkdir, mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { isRoot } from "@fabric-ts/testing";
import { chownToUser } from "./files.js";
import { type Fleet, HostPool } from "./hosts.js";
import { describeMachine, ssh2Binding } from "./machine.js";
import { parseOptions } from "./options.js";
import { installPacked } from "./packed-install.js";
import { ensurePeers, findPeers } from "./peers.js";
import { renderReport, renderScenarioTable, renderTargets, spliceGenerated } from "./render.js";
import { runScenario, type ScenarioResult } from "./runner.js";
import type { BenchContext, Scenario } from "./scenario.js";
import { bigFileGet, bigFilePut } from "./scenarios/big-file.js";
import { FABFILES_DIR, fabfileList, fabfileTask } from "./scenarios/fabfile.js";
import { fanout50, fanout500 } from "./scenarios/fanout.js";
import { leak } from "./scenarios/leak.js";
import { sequential } from "./scenarios/sequential.js";
import { startup } from "./scenarios/startup.js";
import { treeGet, treePut } from "./scenarios/tree.js";
import { persistFanout, startupWarm } from "./scenarios/warm.js";
import { findNode24 } from "./second-node.js";
import { evaluateTargets } from "./targets.js";

const SCENARIOS: Scenario[] = [
  startup,
  fabfileList,
  fabfileTask,
  sequential,
  fanout50,
  fanout500,
  bigFilePut,
  bigFileGet,
  treePut,
  treeGet,
  leak,
  startupWarm,
  persistFanout,
];

const distDir = dirname(fileURLToPath(import.meta.url));
const appDir = dirname(distDir);
const log = (line: string) => process.stdout.write(`${line}\n`);

async function benchHome(workDir: string, pool: HostPool): Promise<(fleet?: Fleet) => Promise<void>> {
  const sshDir = join(workDir, "home", ".ssh");
  await mkdir(sshDir, { recursive: true, mode: 0o700 });
  const configs = [pool.harness.sshConfigPath];
  const knownHosts = [pool.harness.knownHostsPath];
  return async (fleet) => {
    if (fleet) {
      configs.push(fleet.sshConfigPath);
      knownHosts.push(fleet.knownHostsPath);
    }
    const read = (paths: string[]) => Promise.all(paths.map((p) => readFile(p, "utf8")));
    // Every fleet's block is `Host 127.*` and the first match wins, so point them all at one
    // known_hosts (an absolute path: like OpenSSH, `~` in ssh_config is the passwd home, not $HOME).
    const config = (await read(configs))
      .join("\n")
      .replace(/^(\s*UserKnownHostsFile)\s.*$/gm, `$1 ${join(sshDir, "known_hosts")}`);
    await writeFile(join(sshDir, "config"), config, { mode: 0o644 });
    await writeFile(join(sshDir, "known_hosts"), (await read(knownHosts)).join(""), { mode: 0o644 });
  };
}

async function main(): Promise<void> {
  const options = parseOptions(process.argv.slice(2));
  const rounds = options.rounds ?? (options.quick ? 3 : 7);
  const startedAt = new Date().toISOString();
  ensurePeers(log, options.install);
  const peers = findPeers();
  const node24 = findNode24(log, options.install, options.node24);
  const machine = await describeMachine(peers.python);
  log(
    `fabric-ts bench (${options.quick ? "quick" : "full"}, ${rounds} rounds) on ${machine.cpu} × ${machine.cores}`,
  );

  const workDir = await mkdtemp(join(tmpdir(), "fabts-bench-"));
  await chmod(workDir, 0o755);
  const pool = await HostPool.start();
  const stop = async () => {
    await pool.stop();
    await rm(workDir, { recursive: true, force: true });
  };
  process.once("SIGINT", () => void stop().finally(() => process.exit(130)));
  const results: ScenarioResult[] = [];
  try {
    const remoteDir = join(workDir, "remote");
    await mkdir(remoteDir, { mode: 0o755 });
    if (isRoot()) await chownToUser(remoteDir, pool.harness.user);
    const updateHome = await benchHome(workDir, pool);
    await updateHome();
    // fabric-ts rows run from the packed install unless --workspace asks for the workspace build.
    const install = options.workspace
      ? undefined
      : installPacked(
          dirname(dirname(appDir)),
          join(distDir, "workers"),
          FABFILES_DIR,
          join(workDir, "install"),
          log,
        );
    log(`fabric-ts rows: ${install ? install.description : "workspace build (--workspace)"}`);
    if (install) machine.ssh2Crypto = `${await ssh2Binding(install.fabCli)} (installed ssh2)`;
    const ctx: BenchContext = {
      pool,
      quick: options.quick,
      workDir,
      remoteDir,
      env: { ...process.env, HOME: join(workDir, "home") },
      addToHome: (fleet) => updateHome(fleet),
      workersDir: install?.workersDir ?? join(distDir, "workers"),
      pythonScript: join(appDir, "python", "fabric_bench.py"),
      python: peers.python,
      fabCli: install?.fabCli ?? peers.fabCli,
      ...(install ? { fabfilesDir: install.fabfilesDir } : {}),
      node24,
      parallelSsh: peers.parallelSsh,
    };
    const selected = SCENARIOS.filter((s) => !options.only || options.only.includes(s.id));
    for (const scenario of selected) {
      try {
        const result = await runScenario(scenario, ctx, scenario.rounds ?? rounds, log);
        results.push(result);
        log(`\n${renderScenarioTable(result)}`);
      } catch (error) {
        log(
          `scenario ${scenario.id} could not run: ${error instanceof Error ? error.message : String(error)}`,
        );
      }
    }
  } finally {
    await stop();
  }

  const targets = evaluateTargets(results);
  log(`\n${renderTargets(targets)}`);
  const json = { startedAt, mode: options.quick ? "quick" : "full", rounds, machine, targets, results };
  const jsonPath = join(appDir, "results", `${startedAt.replace(/[:.]/g, "-")}.json`);
  await mkdir(dirname(jsonPath), { recursive: true });
  await writeFile(jsonPath, `${JSON.stringify(json, null, 2)}\n`);
  log(`\nJSON: ${jsonPath}`);
  if (options.writeResults) {
    const resultsPath = join(appDir, "RESULTS.md");
    const existing = await readFile(resultsPath, "utf8").catch(() => "# Benchmark results\n");
    const mode = options.quick ? "quick" : "full";
    const report = renderReport({ mode, startedAt, rounds, machine, results, targets });
    await writeFile(resultsPath, spliceGenerated(existing, report, `## Latest ${mode} run`));
    log(`RESULTS.md updated`);
  }
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exitCode = 1;
});
