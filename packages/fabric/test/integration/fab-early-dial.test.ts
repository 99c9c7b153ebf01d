/**
 * The head start of `fab -H host …` (src/connection/head-start.ts): once argv and config are parsed,
 * the CLI dials the one host before loading the executor and ssh2, and the Connection speaks SSH over
 * that socket. Cases it does not cover (ProxyJump, unknown names, refused ports) behave exactly as
 * with the head start turned off. The integration tests need `pnpm build`.
 */
import { execFile } from "node:child_process";
import { existsSync } from "node:fs";
import { mkdir, mkdtemp, readFile, rm, symlink, writeFile } from "node:fs/promises";
import { connect, createServer, type Server, type Socket } from "node:net";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { earlyAddress } from "../../src/connection/head-start.js";
import { describeWithSshd, type SshdHarness, startSshd } from "../support/fabric-sshd.js";

// Each test starts Node processes (and sshd logins): slow when the machine is shared.
vi.setConfig({ testTimeout: 120_000 });

const packageDir = join(dirname(fileURLToPath(import.meta.url)), "..", "..");
const BIN = join(packageDir, "bin", "fab.js");

describe("earlyAddress", () => {
  let dir: string;
  let config: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), "fab-early-"));
    config = join(dir, "ssh_config");
    await writeFile(
      config,
      [
        "Host alias\n  HostName 192.0.2.7\n  Port 2200",
        "Host same\n  HostName SAME",
        "Host jumped\n  ProxyJump alias",
        "Host commanded\n  ProxyCommand nc %h %p",
        `Match exec "touch ${join(dir, "ran")}"\n  Port 2300`,
      ].join("\n"),
    );
  });
  afterAll(async () => {
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it("is where the Connection would dial: ssh_config's HostName and Port, shorthand port first", () => {
    expect(earlyAddress("alias", { configFile: config })).toBeNull(); // Match exec would run
    expect(existsSync(join(dir, "ran"))).toBe(false);
  });

  it("follows HostName and Port, and keeps the given spelling of the same name", async () => {
    const plain = join(dir, "plain_config");
    await writeFile(plain, (await readFile(config, "utf8")).split("\nMatch")[0]!);
    expect(earlyAddress("alias", { configFile: plain })).toEqual({ host: "192.0.2.7", port: 2200 });
    expect(earlyAddress("u@alias:2022", { configFile: plain })).toEqual({
      host: "192.0.2.7",
      port: 2022,
    });
    expect(earlyAddress("same", { configFile: plain })).toEqual({ host: "same", port: 22 });
    expect(earlyAddress("jumped", { configFile: plain })).toBeNull();
    expect(earlyAddress("commanded", { configFile: plain })).toBeNull();
    expect(earlyAddress("x", { configFile: join(dir, "missing") })).toBeNull();
  });
});

/** Child output, exit code, and which entry ran. */
interface FabRun {
  stdout: string;
  stderr: string;
  code: number | null;
}

function run(args: readonly string[], env: NodeJS.ProcessEnv): Promise<FabRun> {
  return new Promise((resolve) => {
    execFile(process.execPath, args, { env, timeout: 60_000 }, (error, stdout, stderr) => {
      const code = error ? (typeof error.code === "number" ? error.code : null) : 0;
      resolve({ stdout, stderr, code });
    });
  });
}

/** Resolves once `server` is listening on a loopback port; returns the port. */
async function listen(server: Server): Promise<number> {
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const address = server.address();
  if (address === null || typeof address === "string") throw new Error("no port");
  return address.port;
}

/**
 * Holds a child that connects to it until opened (or 20 s, then the test that waited fails): the
 * child's gate.cjs connects when it is about to require ssh2.
 */
interface Gate {
  server: Server;
  port: number;
  waiting: Socket[];
  released: boolean;
}

async function startGate(): Promise<Gate> {
  const gate: Gate = { server: createServer(), port: 0, waiting: [], released: false };
  gate.server.on("connection", (socket) => {
    if (gate.released) socket.end("go");
    else gate.waiting.push(socket);
  });
  gate.port = await listen(gate.server);
  setTimeout(() => openGate(gate), 20_000).unref();
  return gate;
}

function openGate(gate: Gate): void {
  gate.released = true;
  for (const socket of gate.waiting.splice(0)) socket.end("go");
}

describeWithSshd("fab's early dial against real sshd (built CLI)", () => {
  let sshd: SshdHarness;
  let dir: string;
  let configPath: string;
  let relay: { server: Server; port: number; accepted: number; firstAt: "gated" | "released" | null };
  let taskRelay: { server: Server; port: number; accepted: number; firstAt: "gated" | "released" | null };
  let taskGate: Gate;
  let gate: Gate;
  let env: NodeJS.ProcessEnv;
  let closedPort: number;

  const release = () => openGate(gate);

  beforeAll(async () => {
    sshd = await startSshd({ hosts: 1 });
    dir = await mkdtemp(join(tmpdir(), "fab-early-dial-"));
    const host = sshd.host("host1");

    // A relay to sshd that takes one connection, then stops listening: a second dial is refused.
    relay = { server: createServer(), port: 0, accepted: 0, firstAt: null };
    relay.server.on("connection", (client) => {
      relay.accepted++;
      relay.firstAt ??= gate.released ? "released" : "gated";
      relay.server.close();
      release();
      const upstream = connect(host.port, host.address);
      client.pipe(upstream).pipe(client);
      client.on("error", () => upstream.destroy());
      upstream.on("error", () => client.destroy());
    });
    relay.port = await listen(relay.server);

    // The same for a task run: one connection, then refused.
    taskRelay = { server: createServer(), port: 0, accepted: 0, firstAt: null };
    taskRelay.server.on("connection", (client) => {
      taskRelay.accepted++;
      taskRelay.firstAt ??= taskGate.released ? "released" : "gated";
      openGate(taskGate);
      taskRelay.server.close();
      const upstream = connect(host.port, host.address);
      client.pipe(upstream).pipe(client);
      client.on("error", () => upstream.destroy());
      upstream.on("error", () => client.destroy());
    });
    taskRelay.port = await listen(taskRelay.server);
    const project = join(dir, "project");
    await mkdir(join(project, "node_modules", "@fabric-ts"), { recursive: true });
    await symlink(packageDir, join(project, "node_modules", "@fabric-ts", "fabric"));
    await writeFile(
      join(project, "fabfile.mjs"),
      'import { task } from "@fabric-ts/fabric";\nexport const probe = task({}, async (c) => { await c.run("echo task-early"); });\n',
    );

    // Holds the child's loading of ssh2 (which comes after the early dial) until the relay has been
    // dialled, or 20 s (then the test fails).
    gate = await startGate();
    taskGate = await startGate();
    // Loaded with --require: blocks the require of ssh2 until the gate opens.
    await writeFile(
      join(dir, "gate.cjs"),
      `const Module = require("node:module");
const { spawnSync } = require("node:child_process");
const load = Module._load;
Module._load = function (request, ...rest) {
  if (request === "ssh2") {
    spawnSync(process.execPath, ["-e", 'require("node:net").connect(' + process.env.GATE_PORT + ', "127.0.0.1").on("data", () => process.exit()).on("error", () => process.exit())']);
  }
  return load.call(this, request, ...rest);
};
`,
    );

    const closed = createServer();
    closedPort = await listen(closed);
    await new Promise((resolve) => closed.close(resolve));

    configPath = join(dir, "ssh_config");
    await writeFile(
      configPath,
      [
        `Host relayed\n  HostName 127.0.0.1\n  Port ${relay.port}\n  HostKeyAlias [${host.address}]:${host.port}`,
        `Host task-relayed\n  HostName 127.0.0.1\n  Port ${taskRelay.port}\n  HostKeyAlias [${host.address}]:${host.port}`,
        `Host jumped\n  HostName ${host.address}\n  Port ${host.port}\n  ProxyJump host1`,
        `Host refused\n  HostName 127.0.0.1\n  Port ${closedPort}`,
        await readFile(sshd.sshConfigPath, "utf8"),
        `Host *\n  User ${sshd.user}\n  IdentityFile ${sshd.identityFile}\n  IdentitiesOnly yes\n  UserKnownHostsFile ${sshd.knownHostsPath}\n  GlobalKnownHostsFile /dev/null\n  StrictHostKeyChecking yes\n  BatchMode yes`,
      ].join("\n\n"),
    );
    env = { PATH: process.env.PATH ?? "/usr/bin:/bin", HOME: dir };
  });
  afterAll(async () => {
    relay?.server.close();
    taskRelay?.server.close();
    gate?.server.close();
    taskGate?.server.close();
    await sshd?.stop();
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it("dials before loading ssh2, and runs the command over that one connection", async () => {
    expect(existsSync(join(packageDir, "dist", "bundle", "bin", "fab.js")), "run `pnpm build` first").toBe(
      true,
    );
    const result = await run(
      ["--require", join(dir, "gate.cjs"), BIN, "-S", configPath, "-H", "relayed", "--", "echo early"],
      { ...env, GATE_PORT: String(gate.port) },
    );
    expect(result.stderr).toBe("");
    expect(result.stdout).toBe("early\n");
    expect(result.code).toBe(0);
    expect(relay.accepted).toBe(1);
    expect(relay.firstAt).toBe("gated");
  });

  it("runs a task on the one -H host over the connection dialled early", async () => {
    const result = await new Promise<FabRun>((resolve) => {
      execFile(
        process.execPath,
        ["--require", join(dir, "gate.cjs"), BIN, "-S", configPath, "-H", "task-relayed", "probe"],
        { env: { ...env, GATE_PORT: String(taskGate.port) }, cwd: join(dir, "project"), timeout: 60_000 },
        (error, stdout, stderr) => resolve({ stdout, stderr, code: error ? null : 0 }),
      );
    });
    expect(result.stderr).toBe("");
    expect(result.stdout).toBe("task-early\n");
    expect(result.code).toBe(0);
    expect(taskRelay.accepted).toBe(1);
    expect(taskRelay.firstAt).toBe("gated");
  });

  const same = async (args: string[]) => {
    const fast = await run([BIN, "-S", configPath, ...args], env);
    const regular = await run([BIN, "-S", configPath, ...args], { ...env, FABRIC_TS_EARLY_DIAL: "off" });
    expect(fast).toEqual(regular);
    return fast;
  };

  it("runs a ProxyJump host as without the head start", async () => {
    const result = await same(["-H", "jumped", "--", "echo jumped"]);
    expect(result.stdout).toBe("jumped\n");
  });

  it("reports a refused connection with the same message and exit code", async () => {
    const result = await same(["-H", "refused", "--", "true"]);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain(`Connection refused by 127.0.0.1:${closedPort}`);
  });

  it("reports an unknown host name as without the head start", async () => {
    const result = await same(["-H", "no-such-host.invalid", "--", "true"]);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain("Could not resolve hostname no-such-host.invalid");
  });

  it("runs a host named differently in -H than in ssh_config as without the head start", async () => {
    const result = await same(["-H", `${sshd.user}@host1`, "--", "echo aliased"]);
    expect(result.stdout).toBe("aliased\n");
  });
});
