/**
 * The head start of `fab -H host -- cmd` (src/bin/early-dial.ts): the bundled CLI dials the host
 * before loading the program and ssh2, and the Connection speaks SSH over that socket. Cases it
 * does not cover (several hosts, ProxyJump, unknown names, refused ports) behave exactly as the
 * regular CLI. The integration tests need `pnpm build`.
 */
import { execFile } from "node:child_process";
import { existsSync } from "node:fs";
import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { connect, createServer, type Server, type Socket } from "node:net";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { adHocTarget, earlyAddress } from "../src/bin/early-dial.js";
import { describeWithSshd, type SshdHarness, startSshd } from "./support/fabric-sshd.js";

const packageDir = join(dirname(fileURLToPath(import.meta.url)), "..");
const BIN = join(packageDir, "bin", "fab.js");
const REGULAR = join(packageDir, "dist", "bundle", "bin", "fab.js");

describe("adHocTarget", () => {
  it("takes the one -H host of `fab … -- cmd`, in every spelling", () => {
    expect(adHocTarget(["-H", "web1", "--", "true"])).toEqual({ hostSpec: "web1" });
    expect(adHocTarget(["-Hweb1", "--", "true"])).toEqual({ hostSpec: "web1" });
    expect(adHocTarget(["--hosts", "u@web1:2222", "--", "true"])).toEqual({ hostSpec: "u@web1:2222" });
    expect(adHocTarget(["--hosts=web1", "-i", "k", "-t", "5", "--", "-H", "x"])).toEqual({
      hostSpec: "web1",
    });
    expect(adHocTarget(["-S", "/etc/cfg", "-H", "web1", "--", "true"])).toEqual({
      hostSpec: "web1",
      sshConfig: "/etc/cfg",
    });
  });

  it("gives no target for anything else", () => {
    for (const argv of [
      ["-H", "a,b", "--", "true"],
      ["-H", "web1", "-H", "web2", "--", "true"],
      ["-H", "web1", "deploy", "--", "true"],
      ["-H", "web1", "-P", "--", "true"],
      ["-H", "web1", "--"],
      ["-H", "web1"],
      ["--", "true"],
      ["-H", "", "--", "true"],
    ]) {
      expect(adHocTarget(argv), argv.join(" ")).toBeNull();
    }
  });
});

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
    expect(earlyAddress({ hostSpec: "alias", sshConfig: config })).toBeNull(); // Match exec would run
    expect(existsSync(join(dir, "ran"))).toBe(false);
  });

  it("follows HostName and Port, and keeps the given spelling of the same name", async () => {
    const plain = join(dir, "plain_config");
    await writeFile(plain, (await readFile(config, "utf8")).split("\nMatch")[0]!);
    expect(earlyAddress({ hostSpec: "alias", sshConfig: plain })).toEqual({ host: "192.0.2.7", port: 2200 });
    expect(earlyAddress({ hostSpec: "u@alias:2022", sshConfig: plain })).toEqual({
      host: "192.0.2.7",
      port: 2022,
    });
    expect(earlyAddress({ hostSpec: "same", sshConfig: plain })).toEqual({ host: "same", port: 22 });
    expect(earlyAddress({ hostSpec: "jumped", sshConfig: plain })).toBeNull();
    expect(earlyAddress({ hostSpec: "commanded", sshConfig: plain })).toBeNull();
    expect(earlyAddress({ hostSpec: "x", sshConfig: join(dir, "missing") })).toBeNull();
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

describeWithSshd("fab's early dial against real sshd (built CLI)", () => {
  let sshd: SshdHarness;
  let dir: string;
  let configPath: string;
  let relay: { server: Server; port: number; accepted: number; firstAt: "gated" | "released" | null };
  let gate: { server: Server; port: number; waiting: Socket[]; released: boolean };
  let env: NodeJS.ProcessEnv;
  let closedPort: number;

  const release = () => {
    gate.released = true;
    for (const socket of gate.waiting.splice(0)) socket.end("go");
  };

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

    // Holds the child's loading of its program (the chunk after the early dial) until the relay
    // has been dialled, or 20 s (then the test fails).
    gate = { server: createServer(), port: 0, waiting: [], released: false };
    gate.server.on("connection", (socket) => {
      if (gate.released) socket.end("go");
      else gate.waiting.push(socket);
    });
    gate.port = await listen(gate.server);
    setTimeout(release, 20_000).unref();
    // Loaded with --require: blocks the require of the program's chunk until the gate opens.
    await writeFile(
      join(dir, "gate.cjs"),
      `const Module = require("node:module");
const { spawnSync } = require("node:child_process");
const load = Module._load;
Module._load = function (request, ...rest) {
  if (/\\/ad-hoc-fab[^/]*\\.cjs$/.test(request)) {
    spawnSync(process.execPath, ["-e", 'require("node:net").connect(${gate.port}, "127.0.0.1").on("data", () => process.exit()).on("error", () => process.exit())']);
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
    gate?.server.close();
    await sshd?.stop();
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it("dials before loading the program, and runs the command over that one connection", async () => {
    expect(existsSync(join(packageDir, "dist", "cli", "fab.cjs")), "run `pnpm build` first").toBe(true);
    const result = await run(
      ["--require", join(dir, "gate.cjs"), BIN, "-S", configPath, "-H", "relayed", "--", "echo early"],
      env,
    );
    expect(result.stderr).toBe("");
    expect(result.stdout).toBe("early\n");
    expect(result.code).toBe(0);
    expect(relay.accepted).toBe(1);
    expect(relay.firstAt).toBe("gated");
  });

  const same = async (args: string[]) => {
    const fast = await run([BIN, "-S", configPath, ...args], env);
    const regular = await run([REGULAR, "-S", configPath, ...args], env);
    expect(fast).toEqual(regular);
    return fast;
  };

  it("runs a ProxyJump host as the regular CLI does", async () => {
    const result = await same(["-H", "jumped", "--", "echo jumped"]);
    expect(result.stdout).toBe("jumped\n");
  });

  it("reports a refused connection with the regular CLI's message and exit code", async () => {
    const result = await same(["-H", "refused", "--", "true"]);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain(`Connection refused by 127.0.0.1:${closedPort}`);
  });

  it("reports an unknown host name as the regular CLI does", async () => {
    const result = await same(["-H", "no-such-host.invalid", "--", "true"]);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain("Could not resolve hostname no-such-host.invalid");
  });

  it("runs a host named differently in -H than in ssh_config as the regular CLI does", async () => {
    const result = await same(["-H", `${sshd.user}@host1`, "--", "echo aliased"]);
    expect(result.stdout).toBe("aliased\n");
  });
});
