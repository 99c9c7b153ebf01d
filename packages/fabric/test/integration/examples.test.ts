// Every example in examples/ (the seeds, ported) run against real sshd hosts. Stand-in scripts
// replace systemctl, apt-get, nginx, pip and python; /opt, /etc and /var/log become ~-relative.
import { randomBytes } from "node:crypto";
import { chmod, mkdir, mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { createServer as createHttpServer } from "node:http";
import { createServer, type Server } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { restartInChunks } from "../../examples/chunked-restart.js";
import { connectWithKey } from "../../examples/connect-kwargs.js";
import { connectionBasics } from "../../examples/connection-basics.js";
import { withConnection } from "../../examples/context-manager.js";
import { deploy, rollback } from "../../examples/deploy.js";
import { remoteEnvironment } from "../../examples/env-isolation.js";
import { fetchLogs } from "../../examples/fetch-logs.js";
import { queryThroughTunnel, sendQuery } from "../../examples/forward-local.js";
import { funnelToWorkstation } from "../../examples/forward-remote.js";
import { runViaBastion, runViaGateways } from "../../examples/gateway.js";
import { deployReportingFailures } from "../../examples/group-warn.js";
import { pushConfig, REMOTE_CONFIG, substitute } from "../../examples/push-config.js";
import { safeRun } from "../../examples/safe-run.js";
import { connectViaAlias } from "../../examples/ssh-config-alias.js";
import { sudoOperations } from "../../examples/sudo.js";
import { diskUsage } from "../../examples/threading-group.js";
import type { FabricConfig } from "../../src/config/fabric-config.js";
import { Connection } from "../../src/connection/connection.js";
import { FAB_SOURCE, runNodeSync, TS_NODE_ARGS } from "../support/fab-process.js";
import { describeWithSshd, harnessConfig, type SshdHarness, startSshd } from "../support/fabric-sshd.js";

const EXAMPLES = join(import.meta.dirname, "..", "..", "examples");
const HOSTS = 20;

/** Run a TypeScript entry point from the sources the way a user runs an example (`npx jiti …`). */
function runTs(args: readonly string[], cwd: string, home: string) {
  return runNodeSync([...TS_NODE_ARGS, ...args], {
    cwd,
    env: { PATH: process.env.PATH ?? "/usr/bin:/bin", HOME: home, NO_COLOR: "1" },
    timeoutMs: 90_000,
  });
}

function listen(server: Server | ReturnType<typeof createHttpServer>): Promise<number> {
  return new Promise((resolve) => {
    server.listen(0, "127.0.0.1", () => {
      const address = server.address();
      resolve(typeof address === "object" && address ? address.port : 0);
    });
  });
}

/** A port nobody listens on right now (for a tunnel to bind). */
async function freePort(): Promise<number> {
  const probe = createServer();
  const port = await listen(probe);
  await new Promise((resolve) => probe.close(resolve));
  return port;
}

describe("examples without a server", () => {
  it("substitute() follows Python's string.Template", () => {
    // biome-ignore lint/suspicious/noTemplateCurlyInString: a Python template, not a JS one
    expect(substitute("$a ${b}x $$c", { a: "1", b: "2" })).toBe("1 2x $c");
    expect(() => substitute("$missing", {})).toThrow(/KeyError: 'missing'/);
  });
});

describeWithSshd(
  "the seeds' examples against real sshd",
  () => {
    let sshd: SshdHarness;
    let dir: string;
    let standins: string;
    let callsLog: string;
    let home: string;
    let repoUrl: string;

    beforeAll(async () => {
      sshd = await startSshd({ hosts: HOSTS, maxStartups: 100 });
      dir = await mkdtemp(join(tmpdir(), "fabric-examples-"));
      await chmod(dir, 0o755);
      standins = join(dir, "bin");
      await mkdir(standins, { mode: 0o755 });
      callsLog = join(dir, "calls.log");
      await writeFile(callsLog, "");
      await chmod(callsLog, 0o666);
      const address = `$(echo $SSH_CONNECTION | cut -d' ' -f3)`;
      const scripts: Record<string, string> = {
        systemctl: `echo "start ${address} systemctl $* by $(id -un)" >> ${callsLog}; sleep 0.1; echo "end ${address}" >> ${callsLog}`,
        "apt-get": `echo "apt-get $* by $(id -un)" >> ${callsLog}`,
        nginx: `echo "nginx $* by $(id -un)" >> ${callsLog}`,
        pip: `echo "pip $* in $(basename $PWD)" >> ${callsLog}`,
        python: `[ "$1 $2" = "manage.py migrate" ] && touch migrated`,
        "deploy.sh": `if [ "${address}" = 127.0.0.2 ]; then echo "migration failed on ${address}" >&2; exit 3; fi; echo "deployed on ${address}" >> ${callsLog}`,
      };
      for (const [name, body] of Object.entries(scripts)) {
        await writeFile(join(standins, name), `#!/bin/sh\n${body}\n`, { mode: 0o755 });
      }
      // A repository on the host (made by the login user: git refuses repositories owned by others).
      const c = new Connection("host1", { config: harnessConfig(sshd) });
      home = (await c.run("echo $HOME", { hide: true })).stdout.trim();
      repoUrl = `file://${home}/seed-repo.git`;
      await c.run(
        [
          "rm -rf ~/seed-repo.git ~/seed-src ~/webapp ~/releases ~/app ~/nginx ~/log",
          "git init -q --bare ~/seed-repo.git",
          "git init -q -b main ~/seed-src",
          "cd ~/seed-src",
          "git config user.email seed@example.com && git config user.name seed",
          "echo flask > requirements.txt && echo \"print('app')\" > manage.py",
          "git add . && git commit -qm init && git push -q ~/seed-repo.git main",
          "git checkout -qb develop && echo develop > DEVELOP && git add DEVELOP && git commit -qm dev",
          "git push -q ~/seed-repo.git develop",
          `git clone -q ${repoUrl} ~/webapp`,
        ].join(" && "),
        { hide: true },
      );
      await c.close();
    });
    afterAll(async () => {
      await sshd?.stop();
      if (dir) await rm(dir, { recursive: true, force: true });
    });

    const aliases = (n: number) => Array.from({ length: n }, (_, i) => `host${i + 1}`);
    const config = (): FabricConfig => harnessConfig(sshd);
    /** Commands find the stand-ins first (what an admin's PATH would hold on a real server). */
    const withStandins = (): FabricConfig => {
      const cfg = config();
      cfg.set("run.env", { PATH: `${standins}:/usr/local/bin:/usr/bin:/bin` });
      return cfg;
    };
    /** A Connection whose commands (sudo ones too: the prefix runs under sudo) see the stand-ins. */
    const standinConnection = (cfg = config()) =>
      new Connection("host1", { config: cfg }).prefix(`export PATH=${standins}:$PATH`);
    const calls = async () => (await readFile(callsLog, "utf8")).split("\n").filter(Boolean);
    const remote = async (command: string) => {
      await using c = new Connection("host1", { config: config() });
      return (await c.run(command, { hide: true, warn: true })).stdout.trim();
    };

    it("Connection basics: nothing dialled until run(), closed after close()", async () => {
      expect(await connectionBasics("host1", { config: config() })).toEqual({
        openedAtStart: false,
        openedAfterRun: true,
        closed: true,
        uname: "Linux",
        user: sshd.user,
      });
    });

    it("with Connection(...) as c → await using: closed when the block ends", async () => {
      const { output, connection } = await withConnection("host2", { config: config() });
      expect(output).toBe("command");
      expect(connection.isConnected).toBe(false);
    });

    it("an ssh_config alias: host is the Hostname, originalHost the alias", async () => {
      const host = sshd.host("host2");
      const path = join(dir, "alias_config");
      await writeFile(
        path,
        [
          "Host myalias",
          `  Hostname ${host.address}`,
          `  Port ${host.port}`,
          `  User ${sshd.user}`,
          `  IdentityFile ${sshd.identityFile}`,
          `  UserKnownHostsFile ${sshd.knownHostsPath}`,
          "",
        ].join("\n"),
      );
      const reached = await connectViaAlias("myalias", { config: harnessConfig(sshd, path) });
      expect(reached).toMatchObject({
        host: host.address,
        originalHost: "myalias",
        user: sshd.user,
        port: host.port,
      });
      expect(reached.hostname).toBe((await remote("hostname")).trim());
    });

    it("user/port/connect_kwargs key_filename/connect_timeout: the named key is the one the server accepts", async () => {
      const host = sshd.host("host3");
      const key = sshd.clientKeys.rsa;
      const result = await connectWithKey(
        { host: host.address, user: sshd.user, port: host.port, keyFilename: key.privateKeyPath },
        { config: config() },
      );
      expect(result.whoami).toBe(sshd.user);
      expect(result.connectTimeout).toBe(10);
      expect(result.identityFiles[0]).toBe(key.privateKeyPath);
      const accepted = (await sshd.readLog()).split("\n").filter((l) => l.includes("Accepted publickey"));
      expect(accepted.at(-1)).toContain(key.fingerprint);
    });

    it("forward_local: a query reaches a service listening only on the server, while the tunnel lives", async () => {
      const seen: string[] = [];
      const service = createServer((socket) => {
        socket.setEncoding("utf8");
        socket.once("data", (line: string) => {
          seen.push(line.trim());
          socket.end(`RESULT ${line.trim().toUpperCase()}\n`);
        });
      });
      const servicePort = await listen(service);
      try {
        const localPort = await freePort();
        await using c = new Connection("host1", { config: config() });
        const answer = await queryThroughTunnel(c, "select 1", { localPort, remotePort: servicePort });
        expect(answer).toBe("RESULT SELECT 1");
        expect(seen).toEqual(["select 1"]);
        // The body ended, so the local port is closed again.
        await expect(sendQuery("127.0.0.1", localPort, "select 2")).rejects.toThrow();
      } finally {
        service.close();
      }
    });

    it("forward_remote: a command on the server writes to a daemon on this machine", async () => {
      const bodies: string[] = [];
      const daemon = createHttpServer((request, response) => {
        let body = "";
        request.on("data", (chunk: Buffer) => {
          body += chunk.toString();
        });
        request.on("end", () => {
          bodies.push(body);
          response.end(`stored ${body.length} bytes\n`);
        });
      });
      const localPort = await listen(daemon);
      try {
        const remotePort = await freePort();
        await using c = new Connection("host1", { config: config() });
        const writer = `curl -s --data-binary "written by $(id -un)" http://127.0.0.1:${remotePort}/ingest`;
        const result = await funnelToWorkstation(c, writer, { remotePort, localPort });
        expect(bodies).toEqual([`written by ${sshd.user}`]);
        expect(result.stdout.trim()).toBe(`stored ${`written by ${sshd.user}`.length} bytes`);
      } finally {
        daemon.close();
      }
    });

    it("gateway: runs on the internal host through the bastion, and through nested gateways", async () => {
      const single = await runViaBastion("host1", "host2", { config: config() });
      expect(single).toMatchObject({ serverAddress: "127.0.0.2", gatewaysOpen: true });
      expect(single.repr).toContain("gw=proxyjump");
      const nested = await runViaGateways(["host1", "host2"], "host3", { config: config() });
      expect(nested).toMatchObject({ serverAddress: "127.0.0.3", gatewaysOpen: true });
    });

    it('ThreadingGroup("web1".."web4").run("df -h /"): one line per host', async () => {
      const lines = await diskUsage(aliases(4), { config: config(), output: "plain" });
      expect(lines.map((l) => l.split(":")[0])).toEqual(["127.0.0.1", "127.0.0.2", "127.0.0.3", "127.0.0.4"]);
      for (const line of lines) expect(line).toMatch(/Filesystem[\s\S]* \/$/);
    });

    it("chunked restarts: every host restarted once, each chunk finished before the next began", async () => {
      await writeFile(callsLog, "");
      const report = await restartInChunks(aliases(HOSTS), 8, { config: withStandins(), output: "plain" });
      expect(report).toEqual(["Restarted chunk 1", "Restarted chunk 2", "Restarted chunk 3"]);
      const lines = await calls();
      const starts = lines.filter((l) => l.startsWith("start "));
      expect(starts.every((l) => l.includes("systemctl restart myapp by"))).toBe(true);
      const started = starts.map((l) => l.split(" ")[1]);
      expect([...started].sort()).toEqual(
        aliases(HOSTS)
          .map((_, i) => `127.0.0.${i + 1}`)
          .sort(),
      );
      const chunkOf = (address: string) => Math.floor((Number(address.split(".")[3]) - 1) / 8);
      for (let chunk = 0; chunk < 2; chunk++) {
        const lastEnd = lines.findLastIndex(
          (l) => l.startsWith("end ") && chunkOf(l.split(" ")[1]!) === chunk,
        );
        const nextStart = lines.findIndex(
          (l) => l.startsWith("start ") && chunkOf(l.split(" ")[1]!) === chunk + 1,
        );
        expect(lastEnd).toBeLessThan(nextStart);
      }
    });

    it("group warn=True: the failing host is reported with its stderr, the others still deployed", async () => {
      await writeFile(callsLog, "");
      const report = await deployReportingFailures(aliases(4), { config: withStandins(), output: "plain" });
      expect(report).toEqual(["FAILED on 127.0.0.2: migration failed on 127.0.0.2"]);
      expect((await calls()).sort()).toEqual([
        "deployed on 127.0.0.1",
        "deployed on 127.0.0.3",
        "deployed on 127.0.0.4",
      ]);
    });

    it("deploy with rollback: releases, atomic symlink swap, keep 5, roll back to the previous one", async () => {
      await writeFile(callsLog, "");
      const cfg = config();
      cfg.set("repo", repoUrl);
      const c = standinConnection(cfg);
      try {
        for (let i = 0; i < 5; i++) await deploy.invoke(c, {});
        await deploy.invoke(c, { branch: "develop" });
        const releases = (await remote("ls -1 ~/releases")).split("\n");
        expect(releases).toHaveLength(5);
        const current = await remote("readlink ~/app/current");
        expect(current).toBe(`${home}/releases/${releases.at(-1)}`);
        expect(await remote("ls ~/app/current/")).toBe("DEVELOP\nmanage.py\nmigrated\nrequirements.txt");
        const log = await calls();
        expect(log.filter((l) => l.startsWith("pip install -r requirements.txt in "))).toHaveLength(6);
        expect(
          log.filter((l) => l.startsWith("start ") && l.includes("systemctl restart myapp")),
        ).toHaveLength(6);

        const previous = await rollback.invoke(c);
        expect(previous).toBe(`${home}/releases/${releases.at(-2)}/`);
        expect(await remote("readlink ~/app/current")).toBe(previous);
        expect(await remote("test -e ~/app/current/DEVELOP && echo develop || echo main")).toBe("main");
      } finally {
        await c.close();
      }
    });

    it("fab --set deploy_env=production deploy checks out main; the default (staging) develop", () => {
      const run = (extra: string[]) =>
        runTs(
          [FAB_SOURCE, "-c", "env-config", "-S", sshd.sshConfigPath, "-H", "host1", ...extra, "deploy"],
          EXAMPLES,
          dir,
        );
      const staging = run([]);
      expect(staging.stderr).not.toMatch(/Error/);
      expect(staging.code).toBe(0);
      return (async () => {
        expect(await remote("git -C ~/webapp rev-parse --abbrev-ref HEAD")).toBe("develop");
        const production = run(["--set", "deploy_env=production"]);
        expect(production.code).toBe(0);
        expect(await remote("git -C ~/webapp rev-parse --abbrev-ref HEAD")).toBe("main");
      })();
    });

    it("sudo: apt-get as root and systemctl as www-data, with the password from config", async () => {
      if (!sshd.sudo.available) throw new Error(`sudo unavailable: ${sshd.sudo.reason}`);
      await writeFile(callsLog, "");
      const cfg = config();
      cfg.set("sudo.password", sshd.sudo.password);
      const c = standinConnection(cfg);
      try {
        const [update, restart] = await sudoOperations(c);
        expect(update.stdout + restart.stdout).not.toContain(sshd.sudo.password);
      } finally {
        await c.close();
      }
      expect(await calls()).toEqual([
        "apt-get update -y by root",
        "start  systemctl restart nginx by www-data",
        "end ",
      ]);
    });

    it("push_config: renders the template for production, uploads it, validates and reloads under sudo", async () => {
      if (!sshd.sudo.available) throw new Error(`sudo unavailable: ${sshd.sudo.reason}`);
      await writeFile(callsLog, "");
      const cfg = config();
      cfg.set("sudo.password", sshd.sudo.password);
      const c = standinConnection(cfg);
      try {
        await pushConfig.invoke(c, { environment: "production" });
      } finally {
        await c.close();
      }
      const uploaded = await remote(`cat ${REMOTE_CONFIG}`);
      expect(uploaded).toContain("server_name api.example.com;");
      expect(uploaded).toContain("worker_connections_hint 4;");
      expect(uploaded).toContain("set $upstream app;");
      expect(await calls()).toEqual(["nginx -t by root", "start  systemctl reload nginx by root", "end "]);
    });

    it("fetch_logs: the remote error log lands in logs/<host>_<service>_error.log", async () => {
      await remote("mkdir -p ~/log/myapp && printf 'E1 boom\\nE2 bang\\n' > ~/log/myapp/error.log");
      const cwd = await mkdtemp(join(dir, "fetch-"));
      const previous = process.cwd();
      const c = new Connection("host1", { config: config() });
      process.chdir(cwd);
      try {
        const local = await fetchLogs.invoke(c, {});
        expect(local).toBe(join(cwd, "logs", "127.0.0.1_myapp_error.log"));
      } finally {
        process.chdir(previous);
        await c.close();
      }
      expect(await readFile(join(cwd, "logs", "127.0.0.1_myapp_error.log"), "utf8")).toBe(
        "E1 boom\nE2 bang\n",
      );
    });

    it("env={}: local variables never reach the host, named ones do (inline and as env requests)", async () => {
      const name = "FABTS_LOCAL_SECRET"; // sshd's AcceptEnv would take FABTS_* if it were ever sent
      process.env[name] = "leak-me";
      try {
        for (const inlineSshEnv of [true, false]) {
          await using c = new Connection("host1", { config: config(), inlineSshEnv });
          const bare = await remoteEnvironment(c);
          expect(bare.some((l) => l.includes("leak-me"))).toBe(false);
          const named = await remoteEnvironment(c, { FABTS_APP_MODE: "production" });
          expect(named).toContain("FABTS_APP_MODE=production");
          expect(named.some((l) => l.startsWith(`${name}=`))).toBe(false);
        }
      } finally {
        delete process.env[name];
      }
    });

    it("safe_run: a connection dropped mid-command is reopened and the command retried", async () => {
      const marker = `~/.safe-run-${randomBytes(4).toString("hex")}`;
      // The first attempt kills its own sshd session (the connection drops); the retry finds the marker.
      const command = `if [ -e ${marker} ]; then echo recovered; else touch ${marker}; kill -9 $PPID; fi`;
      await using plain = new Connection("host1", { config: config() });
      await expect(plain.run(command.replace(marker, `${marker}-plain`), { hide: true })).rejects.toThrow();

      await using c = new Connection("host1", { config: config() });
      const result = await safeRun(c, command);
      expect(result.stdout.trim()).toBe("recovered");
      expect(c.isConnected).toBe(true);
      await remote(`rm -f ${marker} ${marker}-plain`);
    });

    it("an example runs standalone as documented (npx jiti examples/connection-basics.ts host1)", async () => {
      const userHome = join(dir, "home");
      await mkdir(join(userHome, ".ssh"), { recursive: true });
      await writeFile(join(userHome, ".ssh", "config"), await readFile(sshd.sshConfigPath, "utf8"));
      const run = runTs([join(EXAMPLES, "connection-basics.ts"), "host1"], EXAMPLES, userHome);
      expect(run.stderr).toBe("");
      expect(run.code).toBe(0);
      expect(run.stdout).toContain("uname: 'Linux'");
      expect(run.stdout).toContain("openedAfterRun: true");
    });
  },
  { sudo: true },
);

describe("examples without hosts", () => {
  it("chunked-restart refuses a chunk size that is not a positive integer (a step of 0 never ends)", async () => {
    await expect(restartInChunks(["web1", "web2"], 0)).rejects.toThrow(RangeError);
    await expect(restartInChunks(["web1", "web2"], 1.5)).rejects.toThrow(/positive integer/);
  });
});
