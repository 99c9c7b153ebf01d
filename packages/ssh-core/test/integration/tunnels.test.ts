import { randomBytes } from "node:crypto";
import { chmod, mkdtemp, rm } from "node:fs/promises";
import { type AddressInfo, connect, createServer, type Server, type Socket } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { SshClient } from "../../src/client/ssh-client.js";
import { TunnelError } from "../../src/errors.js";
import { readSocksRequest } from "../../src/tunnels/socks.js";
import {
  baseOptions,
  describeWithSshd,
  type SshdHarness,
  scratchKnownHosts,
  startSshd,
} from "../support/sshd.js";

/** Echo server that also passes on half-closes (answers everything, then ends). */
async function startEcho(target: { port: number } | { path: string }): Promise<Server> {
  const server = createServer({ allowHalfOpen: true }, (socket) => {
    socket.on("error", () => {});
    socket.pipe(socket);
  });
  await new Promise<void>((resolve) =>
    "path" in target ? server.listen(target.path, resolve) : server.listen(target.port, "127.0.0.1", resolve),
  );
  return server;
}

function open(target: { host: string; port: number } | { path: string }): Promise<Socket> {
  return new Promise((resolve, reject) => {
    const socket = connect({ ...target, allowHalfOpen: true });
    socket.once("connect", () => resolve(socket));
    socket.once("error", reject);
  });
}

/** Send `data`, half-close, and collect everything until the other side ends. */
function roundTrip(socket: Socket, data: Buffer): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    socket.on("data", (chunk: Buffer) => chunks.push(chunk));
    socket.once("end", () => resolve(Buffer.concat(chunks)));
    socket.once("error", reject);
    socket.resume();
    socket.end(data);
  });
}

function readExactly(socket: Socket, count: number): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    let got = Buffer.alloc(0);
    const onData = (chunk: Buffer) => {
      got = Buffer.concat([got, chunk]);
      if (got.length >= count) {
        socket.off("data", onData);
        socket.pause();
        if (got.length > count) socket.unshift(got.subarray(count));
        resolve(got.subarray(0, count));
      }
    };
    socket.on("data", onData);
    socket.once("error", reject);
    socket.resume();
  });
}

/** A minimal SOCKS5 client: no auth, CONNECT. Returns the socket once the proxy said yes. */
async function socks5Connect(
  proxyPort: number,
  address: Buffer,
  port: number,
): Promise<{ socket: Socket; status: number }> {
  const socket = await open({ host: "127.0.0.1", port: proxyPort });
  socket.write(Buffer.from([5, 1, 0]));
  expect([...(await readExactly(socket, 2))]).toEqual([5, 0]);
  const portBytes = Buffer.alloc(2);
  portBytes.writeUInt16BE(port);
  socket.write(Buffer.concat([Buffer.from([5, 1, 0]), address, portBytes]));
  const reply = await readExactly(socket, 10);
  return { socket, status: reply[1] ?? -1 };
}

const ipv4 = (text: string) => Buffer.from([1, ...text.split(".").map(Number)]);
const domain = (name: string) => Buffer.concat([Buffer.from([3, name.length]), Buffer.from(name, "latin1")]);

async function isListening(port: number): Promise<boolean> {
  return open({ host: "127.0.0.1", port }).then(
    (socket) => {
      socket.destroy();
      return true;
    },
    () => false,
  );
}

describeWithSshd("Tunnels (-L, -R, -D) against real sshd", () => {
  let sshd: SshdHarness;
  let scratch: Awaited<ReturnType<typeof scratchKnownHosts>>;
  let client: SshClient;
  let echo: Server;
  let echoPort: number;
  let dir: string;

  beforeAll(async () => {
    sshd = await startSshd();
    scratch = await scratchKnownHosts(sshd);
    client = await SshClient.connect(baseOptions(sshd, scratch.file, { identityFiles: [sshd.identityFile] }));
    echo = await startEcho({ port: 0 });
    echoPort = (echo.address() as AddressInfo).port;
    dir = await mkdtemp(join(tmpdir(), "ssh-core-tunnels-"));
    await chmod(dir, 0o777); // sshd's session runs as the login user and must reach the sockets
  });
  afterAll(async () => {
    await client?.close();
    echo?.close();
    if (dir) await rm(dir, { recursive: true, force: true });
    await scratch?.cleanup();
    await sshd?.stop();
  });

  describe("forwardLocal (-L)", () => {
    it("carries several concurrent connections through one tunnel, byte for byte", async () => {
      await using tunnel = await client.forwardLocal({
        localPort: 0,
        remoteHost: "127.0.0.1",
        remotePort: echoPort,
      });
      expect(tunnel.localHost).toBe("127.0.0.1");
      expect(tunnel.localPort).toBeGreaterThan(0);
      const sockets = await Promise.all(
        Array.from({ length: 8 }, () => open({ host: "127.0.0.1", port: tunnel.localPort ?? 0 })),
      );
      const payloads = sockets.map(() => randomBytes(512 * 1024));
      await expect.poll(() => tunnel.connections).toBe(8);
      const echoed = await Promise.all(
        sockets.map((socket, i) => roundTrip(socket, payloads[i] ?? Buffer.alloc(0))),
      );
      expect(echoed.map((data, i) => data.equals(payloads[i] ?? Buffer.alloc(1)))).toEqual(
        payloads.map(() => true),
      );
      expect(tunnel.totalConnections).toBe(8);
      await expect.poll(() => tunnel.connections).toBe(0);
    });

    it("close() frees the port and ends open connections", async () => {
      const tunnel = await client.forwardLocal({
        localPort: 0,
        remoteHost: "127.0.0.1",
        remotePort: echoPort,
      });
      const port = tunnel.localPort ?? 0;
      const socket = await open({ host: "127.0.0.1", port });
      // allowHalfOpen: the tunnel's side closing shows up as "end".
      const closed = new Promise((resolve) => socket.once("end", resolve));
      socket.on("error", () => {});
      socket.resume();
      await expect.poll(() => tunnel.connections).toBe(1);
      await tunnel.close();
      await closed;
      expect(await isListening(port)).toBe(false);
      // The port can be bound again at once.
      const again = await client.forwardLocal({
        localPort: port,
        remoteHost: "127.0.0.1",
        remotePort: echoPort,
      });
      expect(again.localPort).toBe(port);
      await again.close();
    });

    it("a port already in use is a BIND_FAILED TunnelError", async () => {
      const error = await client
        .forwardLocal({ localPort: echoPort, remoteHost: "127.0.0.1", remotePort: echoPort })
        .catch((e: unknown) => e);
      expect(error).toBeInstanceOf(TunnelError);
      expect(error).toMatchObject({ code: "TUNNEL_FAILED", reason: "BIND_FAILED" });
      expect((error as Error).message).toContain(`127.0.0.1:${echoPort}`);
    });

    it("a target the server cannot reach closes that connection and reports REMOTE_CONNECT_FAILED", async () => {
      const probe = createServer();
      await new Promise<void>((resolve) => probe.listen(0, "127.0.0.1", resolve));
      const deadPort = (probe.address() as AddressInfo).port;
      await new Promise((resolve) => probe.close(resolve));
      await using tunnel = await client.forwardLocal({
        localPort: 0,
        remoteHost: "127.0.0.1",
        remotePort: deadPort,
      });
      const reported = new Promise<TunnelError>((resolve) => tunnel.once("connectionError", resolve));
      const socket = await open({ host: "127.0.0.1", port: tunnel.localPort ?? 0 });
      const closed = new Promise((resolve) => socket.once("end", resolve));
      socket.resume();
      const error = await reported;
      expect(error.reason).toBe("REMOTE_CONNECT_FAILED");
      expect(error.message).toContain(`127.0.0.1:${deadPort}`);
      await closed;
      expect(tunnel.lastError).toBe(error);
    });

    it("forwards a local unix socket to a unix socket on the server", async () => {
      const remoteSocket = join(dir, "echo.sock");
      const unixEcho = await startEcho({ path: remoteSocket });
      await chmod(remoteSocket, 0o777);
      try {
        const localPath = join(dir, "local.sock");
        await using tunnel = await client.forwardLocal({ localPath, remotePath: remoteSocket });
        const data = randomBytes(100_000);
        expect((await roundTrip(await open({ path: localPath }), data)).equals(data)).toBe(true);
        expect(tunnel.localPath).toBe(localPath);
      } finally {
        unixEcho.close();
      }
    });
  });

  describe("forwardRemote (-R)", () => {
    it("port 0 reports the assigned port; the server side reaches the local echo server", async () => {
      await using tunnel = await client.forwardRemote({
        remotePort: 0,
        localHost: "127.0.0.1",
        localPort: echoPort,
      });
      const port = tunnel.remotePort ?? 0;
      expect(port).toBeGreaterThan(0);
      // From a shell on the server, through bash's /dev/tcp.
      const result = await client.run(
        `exec 3<>/dev/tcp/127.0.0.1/${port}; printf 'hello over -R' >&3; timeout 10 head -c 13 <&3`,
      );
      expect(result.stdout).toBe("hello over -R");
      // And from here to the server-bound loopback port (same machine).
      const data = randomBytes(300_000);
      expect((await roundTrip(await open({ host: "127.0.0.1", port }), data)).equals(data)).toBe(true);
      expect(tunnel.totalConnections).toBe(2);
    });

    it("close() cancels the server's listener", async () => {
      const tunnel = await client.forwardRemote({ remotePort: 0, localPort: echoPort });
      const port = tunnel.remotePort ?? 0;
      expect(await isListening(port)).toBe(true);
      await tunnel.close();
      await expect.poll(() => isListening(port)).toBe(false);
    });

    it("a port the server refuses to bind is a REMOTE_BIND_REFUSED TunnelError", async () => {
      // Port 1 is privileged and the login user is not root.
      const error = await client
        .forwardRemote({ remotePort: 1, localPort: echoPort })
        .catch((e: unknown) => e);
      expect(error).toBeInstanceOf(TunnelError);
      expect(error).toMatchObject({ reason: "REMOTE_BIND_REFUSED" });
      expect((error as Error).message).toContain("127.0.0.1:1");
    });

    it("a local target that is down reports LOCAL_CONNECT_FAILED", async () => {
      await using tunnel = await client.forwardRemote({ remotePort: 0, localPort: 1 });
      const reported = new Promise<TunnelError>((resolve) => tunnel.once("connectionError", resolve));
      await client.run(`exec 3<>/dev/tcp/127.0.0.1/${tunnel.remotePort}; timeout 5 cat <&3`);
      expect((await reported).reason).toBe("LOCAL_CONNECT_FAILED");
    });
  });

  describe("forwardDynamic (-D)", () => {
    it("a SOCKS5 client reaches the echo server by IPv4 address and by the name localhost", async () => {
      await using proxy = await client.forwardDynamic({ localPort: 0 });
      for (const address of [ipv4("127.0.0.1"), domain("localhost")]) {
        const { socket, status } = await socks5Connect(proxy.localPort, address, echoPort);
        expect(status).toBe(0);
        const data = randomBytes(200_000);
        expect((await roundTrip(socket, data)).equals(data)).toBe(true);
      }
      expect(proxy.totalConnections).toBe(2);
    });

    it("answers 'connection refused' when the server cannot connect", async () => {
      await using proxy = await client.forwardDynamic({ localPort: 0 });
      const { socket, status } = await socks5Connect(proxy.localPort, ipv4("127.0.0.1"), 1);
      socket.destroy();
      expect(status).toBe(5);
      expect(proxy.lastError?.reason).toBe("REMOTE_CONNECT_FAILED");
    });

    it("close() frees the port", async () => {
      const proxy = await client.forwardDynamic({ localPort: 0 });
      const port = proxy.localPort;
      await proxy.close();
      expect(await isListening(port)).toBe(false);
      const server = createServer();
      await new Promise<void>((resolve, reject) => {
        server.once("error", reject);
        server.listen(port, "127.0.0.1", resolve);
      });
      server.close();
    });
  });
});

describe("SOCKS request parsing", () => {
  async function parse(bytes: number[]): Promise<Awaited<ReturnType<typeof readSocksRequest>> | Error> {
    const server = createServer();
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    try {
      const accepted = new Promise<Socket>((resolve) => server.once("connection", resolve));
      const socket = await open({ host: "127.0.0.1", port: (server.address() as AddressInfo).port });
      socket.on("data", () => {});
      socket.write(Buffer.from(bytes));
      const peer = await accepted;
      const result = await readSocksRequest(peer).catch((e: Error) => e);
      socket.destroy();
      peer.destroy();
      return result;
    } finally {
      server.close();
    }
  }

  it("reads IPv6 addresses and keeps bytes sent after the request", async () => {
    const result = await parse([5, 1, 0, 5, 1, 0, 4, ...Array(15).fill(0), 1, 0x1f, 0x90, 65, 66]);
    expect(result).toMatchObject({ version: 5, host: "0:0:0:0:0:0:0:1", port: 8080 });
    expect((result as { rest: Buffer }).rest.toString()).toBe("AB");
  });

  it("reads SOCKS4a host names", async () => {
    const result = await parse([4, 1, 0, 80, 0, 0, 0, 1, 0x75, 0, ...Buffer.from("example.test"), 0]);
    expect(result).toMatchObject({ version: 4, host: "example.test", port: 80 });
  });

  it("rejects BIND and clients without the no-auth method", async () => {
    expect(await parse([5, 1, 0, 5, 2, 0, 1, 127, 0, 0, 1, 0, 80])).toMatchObject({
      reason: "SOCKS_PROTOCOL",
    });
    expect(await parse([5, 1, 2])).toMatchObject({ reason: "SOCKS_PROTOCOL" });
  });
});
