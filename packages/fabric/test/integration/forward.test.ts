// forwardLocal / forwardRemote carrying real TCP traffic through the real sshd.
import { once } from "node:events";
import { readFile } from "node:fs/promises";
import { type AddressInfo, connect, createServer, type Server } from "node:net";
import { afterAll, beforeAll, expect, it } from "vitest";
import { Connection } from "../../src/connection/connection.js";
import { describeWithSshd, harnessConfig, type SshdHarness, startSshd } from "../support/fabric-sshd.js";

/** A TCP server answering each chunk with `echo:<chunk>`. */
async function echoServer(host: string, port = 0): Promise<{ server: Server; port: number }> {
  const server = createServer((socket) => socket.on("data", (chunk) => socket.write(`echo:${chunk}`)));
  server.listen(port, host);
  await once(server, "listening");
  return { server, port: (server.address() as AddressInfo).port };
}

/** Send `text` to host:port and return the first answer. */
async function exchange(host: string, port: number, text: string): Promise<string> {
  const socket = connect(port, host);
  await once(socket, "connect");
  socket.write(text);
  const [answer] = (await once(socket, "data")) as [Buffer];
  socket.destroy();
  return answer.toString();
}

async function freePort(host: string): Promise<number> {
  const { server, port } = await echoServer(host);
  server.close();
  await once(server, "close");
  return port;
}

describeWithSshd("port forwarding against real sshd", () => {
  let sshd: SshdHarness;
  let c: Connection;
  beforeAll(async () => {
    sshd = await startSshd({ logLevel: "DEBUG1" });
    c = new Connection("host1", { config: harnessConfig(sshd) });
  });
  afterAll(async () => {
    await c?.close();
    await sshd?.stop();
  });

  it("forwardLocal carries connections to a host:port seen from the server (ssh -L)", async () => {
    const echo = await echoServer("127.0.0.1");
    try {
      await using tunnel = await c.forwardLocal({
        localPort: 0,
        remotePort: echo.port,
        remoteHost: "127.0.0.1",
      });
      expect(tunnel.localHost).toBe("127.0.0.1");
      expect(await exchange("127.0.0.1", tunnel.localPort ?? 0, "ping")).toBe("echo:ping");
      expect(tunnel.totalConnections).toBe(1);
      // The bytes went through sshd: it opened the forwarded connection itself.
      const log = await readFile(sshd.logPath, "utf8");
      expect(log).toContain(`target 127.0.0.1 port ${echo.port}`);
    } finally {
      echo.server.close();
    }
  });

  it("forwardLocal with a body closes the tunnel afterwards and returns the body's value", async () => {
    const echo = await echoServer("127.0.0.1");
    let port = 0;
    try {
      const answer = await c.forwardLocal(
        { localPort: 0, remotePort: echo.port, remoteHost: "127.0.0.1" },
        (tunnel) => {
          port = tunnel.localPort ?? 0;
          return exchange("127.0.0.1", port, "scoped");
        },
      );
      expect(answer).toBe("echo:scoped");
      await expect(exchange("127.0.0.1", port, "late")).rejects.toMatchObject({ code: "ECONNREFUSED" });
    } finally {
      echo.server.close();
    }
  });

  it("forwardLocal's remotePort defaults to localPort", async () => {
    const port = await freePort("127.0.0.1");
    // The service listens on another loopback address with the same port number.
    const echo = await echoServer("127.0.0.2", port);
    try {
      const answer = await c.forwardLocal({ localPort: port, remoteHost: "127.0.0.2" }, () =>
        exchange("127.0.0.1", port, "same-port"),
      );
      expect(answer).toBe("echo:same-port");
    } finally {
      echo.server.close();
    }
  });

  it("forwardRemote makes the server listen and carries connections back here (ssh -R)", async () => {
    const echo = await echoServer("127.0.0.1");
    try {
      const remotePort = await freePort("127.0.0.1");
      await c.forwardRemote({ remotePort, localPort: echo.port }, async (tunnel) => {
        expect(tunnel.remotePort).toBe(remotePort);
        // A program on the server talks to its own loopback port and reaches our echo server.
        const result = await c.run(
          `exec 3<>/dev/tcp/127.0.0.1/${remotePort}; printf from-remote >&3; timeout 5 head -c 16 <&3`,
          { hide: true },
        );
        expect(result.stdout).toBe("echo:from-remote");
      });
      // Closed: the server no longer listens.
      const after = await c.run(`exec 3<>/dev/tcp/127.0.0.1/${remotePort}`, { hide: true, warn: true });
      expect(after.ok).toBe(false);
    } finally {
      echo.server.close();
    }
  });

  it("forwardRemote's localPort defaults to remotePort", async () => {
    const port = await freePort("127.0.0.1");
    const echo = await echoServer("127.0.0.2", port);
    try {
      await using tunnel = await c.forwardRemote({ remotePort: port, localHost: "127.0.0.2" });
      expect(tunnel.localPort).toBe(port);
      const result = await c.run(
        `exec 3<>/dev/tcp/127.0.0.1/${port}; printf back >&3; timeout 5 head -c 9 <&3`,
        { hide: true },
      );
      expect(result.stdout).toBe("echo:back");
    } finally {
      echo.server.close();
    }
  });
});
