// EarlyDial: a TCP connect started before the SshClient, adopted by SshClient.connect() on its first
// attempt when it goes to the same address. Plain loopback servers for the socket rules; real sshd
// for the adoption by a client.
import { execFile } from "node:child_process";
import { createServer, type Server, type Socket } from "node:net";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { EarlyDial } from "../../src/client/early-tcp-connect.js";
import { openTcpSocket } from "../../src/client/socket.js";
import { SshClient } from "../../src/client/ssh-client.js";
import { SshConnectError } from "../../src/errors.js";
import { baseOptions, describeWithSshd, type SshdHarness, startSshd } from "../support/sshd.js";

/** Run a child process in this package's directory (rejects on a non-zero exit or after 20 s). */
function run(file: string, args: string[]): Promise<{ stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    execFile(
      file,
      args,
      { cwd: new URL("../..", import.meta.url), timeout: 20_000 },
      (error, stdout, stderr) => (error ? reject(error) : resolve({ stdout, stderr })),
    );
  });
}

/** A loopback server that counts and keeps its connections. */
async function countingServer(): Promise<{ server: Server; port: number; sockets: Socket[] }> {
  const sockets: Socket[] = [];
  const server = createServer((socket) => {
    socket.on("error", () => {});
    socket.resume();
    sockets.push(socket);
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const address = server.address();
  if (address === null || typeof address === "string") throw new Error("no port");
  return { server, port: address.port, sockets };
}

/** Resolves once the server's end of a connection has closed. */
function closedByPeer(socket: Socket | undefined): Promise<void> {
  if (!socket || socket.closed) return Promise.resolve();
  return new Promise((resolve) => socket.once("close", () => resolve()));
}

/** A loopback port nothing listens on. */
async function closedPort(): Promise<number> {
  const { server, port } = await countingServer();
  await new Promise((resolve) => server.close(resolve));
  return port;
}

describe("EarlyDial", () => {
  const servers: Server[] = [];
  afterEach(async () => {
    for (const server of servers.splice(0)) {
      server.close();
    }
  });

  it("hands its socket to the first adopter for the same host and port, once", async () => {
    const { server, port, sockets } = await countingServer();
    servers.push(server);
    const dial = EarlyDial.start("127.0.0.1", port);
    await new Promise((resolve) => server.once("connection", resolve));
    const socket = await dial.adopt({ host: "127.0.0.1", port });
    expect(socket).not.toBeNull();
    expect(sockets).toHaveLength(1);
    expect(dial.pending).toBe(false);
    expect(dial.adopt({ host: "127.0.0.1", port })).toBeNull();
    socket?.destroy();
  });

  it("is adopted while still connecting", async () => {
    const { server, port } = await countingServer();
    servers.push(server);
    const dial = EarlyDial.start("127.0.0.1", port);
    const socket = await dial.adopt({ host: "127.0.0.1", port });
    expect(socket?.remotePort).toBe(port);
    socket?.destroy();
  });

  it("is closed, not handed over, for another address", async () => {
    const { server, port, sockets } = await countingServer();
    servers.push(server);
    const dial = EarlyDial.start("127.0.0.1", port);
    await new Promise((resolve) => server.once("connection", resolve));
    expect(dial.adopt({ host: "127.0.0.1", port: port + 1 })).toBeNull();
    expect(dial.pending).toBe(false);
    await closedByPeer(sockets[0]);
  });

  it("reports a refused connect exactly as a connect of its own would", async () => {
    const port = await closedPort();
    const own = await openTcpSocket({ host: "127.0.0.1", port }).catch((error: unknown) => error);
    const dial = EarlyDial.start("127.0.0.1", port);
    await new Promise((resolve) => setTimeout(resolve, 50));
    const early = await dial.adopt({ host: "127.0.0.1", port })?.catch((error: unknown) => error);
    expect(early).toBeInstanceOf(SshConnectError);
    expect(early).toMatchObject({ code: "CONNECT_REFUSED", message: (own as Error).message });
    expect((early as SshConnectError).code).toBe((own as SshConnectError).code);
  });

  it("reports an unknown host name exactly as a connect of its own would", async () => {
    const own = await openTcpSocket({ host: "no-such-host.invalid", port: 22 }).catch((e: unknown) => e);
    const dial = EarlyDial.start("no-such-host.invalid", 22);
    const early = await dial.adopt({ host: "no-such-host.invalid", port: 22 })?.catch((e: unknown) => e);
    expect(early).toBeInstanceOf(SshConnectError);
    expect((early as SshConnectError).message).toBe((own as Error).message);
    expect((early as SshConnectError).code).toBe((own as SshConnectError).code);
  });

  it("does not keep the process alive until adopted", async () => {
    const { server, port, sockets } = await countingServer();
    servers.push(server);
    // A child that dials early and never adopts exits by itself, with its connection made.
    const accepted = new Promise((resolve) => server.once("connection", resolve));
    const child = await run(process.execPath, [
      "--input-type=module",
      "-e",
      `import { EarlyDial } from "@fabric-ts/ssh-core/early-dial";
       EarlyDial.start("127.0.0.1", ${port});
       setTimeout(() => process.stdout.write("done"), 200);`,
    ]);
    await accepted;
    expect(child.stderr).toBe("");
    expect(child.stdout).toBe("done");
    expect(sockets.length).toBe(1);
  });
});

describeWithSshd("SshClient.connect with an EarlyDial against real sshd", () => {
  let sshd: SshdHarness;
  beforeAll(async () => {
    sshd = await startSshd();
  });
  afterAll(async () => {
    await sshd?.stop();
  });

  /** A TCP relay to sshd that takes one connection and then stops listening. */
  async function oneShotRelay(): Promise<{ port: number; accepted: () => number; first: Promise<void> }> {
    let accepted = 0;
    let first = () => {};
    const target = sshd.hosts[0]!;
    const relay = createServer((client) => {
      accepted++;
      relay.close();
      first();
      const upstream = openTcpSocket({ host: target.address, port: target.port });
      upstream.then(
        (server) => {
          client.pipe(server).pipe(client);
          client.on("error", () => server.destroy());
          server.on("error", () => client.destroy());
          client.on("close", () => server.destroy());
        },
        () => client.destroy(),
      );
    });
    await new Promise<void>((resolve) => relay.listen(0, "127.0.0.1", resolve));
    const address = relay.address();
    if (address === null || typeof address === "string") throw new Error("no port");
    return {
      port: address.port,
      accepted: () => accepted,
      first: new Promise((resolve) => {
        first = resolve;
      }),
    };
  }

  it("speaks SSH over the early socket (a second connect would be refused)", async () => {
    const relay = await oneShotRelay();
    const dial = EarlyDial.start("127.0.0.1", relay.port);
    await relay.first;
    const client = await SshClient.connect(
      baseOptions(sshd, sshd.knownHostsPath, {
        identityFiles: [sshd.identityFile],
        host: "127.0.0.1",
        port: relay.port,
        hostKeyAlias: `[${sshd.hosts[0]!.address}]:${sshd.hosts[0]!.port}`,
        earlyDial: dial,
      }),
    );
    try {
      expect((await client.run("echo early")).stdout).toBe("early\n");
      expect(relay.accepted()).toBe(1);
      expect(dial.pending).toBe(false);
    } finally {
      await client.close();
    }
  });

  it("dials as usual when the early socket goes elsewhere, and closes it", async () => {
    const { server, port, sockets } = await countingServer();
    const dial = EarlyDial.start("127.0.0.1", port);
    await new Promise((resolve) => server.once("connection", resolve));
    const client = await SshClient.connect(
      baseOptions(sshd, sshd.knownHostsPath, { identityFiles: [sshd.identityFile], earlyDial: dial }),
    );
    try {
      expect((await client.run("echo usual")).stdout).toBe("usual\n");
      expect(dial.pending).toBe(false);
      await closedByPeer(sockets[0]);
    } finally {
      await client.close();
      server.close();
    }
  });
});
