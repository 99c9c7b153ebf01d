// One test per ssh2 internal that src/ssh2-internals.ts relies on, run against the pinned ssh2 and a
// real sshd: an ssh2 upgrade that moves any of them fails here, not in a user's connection.
// (Certificate logins through the authPK hook are exercised end to end in certificates.test.ts.)
import { readFileSync } from "node:fs";
import ssh2 from "ssh2";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import "../../src/client/certificates.js";
// The server side of "exit after EOF" lives with the embedded test server, in @fabric-ts/testing.
import { sendExitAfterEof } from "@fabric-ts/testing";
import { ssh2 as loadSsh2 } from "../../src/client/ssh2-module.js";
import {
  installedSsh2Version,
  outgoingState,
  publicKeyAuthHookInstalled,
  SSH2_VERSION,
  sendSignalRequest,
  sendWindowChangeRequest,
  sftpLimits,
  ssh2AlgorithmTables,
  ssh2ProtocolClass,
} from "../../src/ssh2-internals.js";
import { describeWithSshd, type SshdHarness, startSshd } from "../support/sshd.js";

const packageJson = JSON.parse(readFileSync(new URL("../../package.json", import.meta.url), "utf8")) as {
  dependencies: Record<string, string>;
};

function connect(sshd: SshdHarness): Promise<ssh2.Client> {
  const client = new ssh2.Client();
  return new Promise((resolve, reject) => {
    client.once("error", reject);
    client.once("ready", () => resolve(client));
    const host = sshd.hosts[0]!;
    client.connect({
      host: host.address,
      port: host.port,
      username: sshd.user,
      privateKey: readFileSync(sshd.identityFile),
    });
  });
}

function openExec(client: ssh2.Client, command: string, pty = false): Promise<ssh2.ClientChannel> {
  return new Promise((resolve, reject) =>
    client.exec(command, pty ? { pty: { rows: 24, cols: 80 } } : {}, (err, channel) =>
      err ? reject(err) : resolve(channel),
    ),
  );
}

/** Resolves with everything the channel printed once `text` appears in it. */
function waitForOutput(channel: ssh2.ClientChannel, text: string): Promise<string> {
  return new Promise((resolve) => {
    let out = "";
    const onData = (chunk: Buffer) => {
      out += chunk.toString();
      if (out.includes(text)) {
        channel.off("data", onData);
        resolve(out);
      }
    };
    channel.on("data", onData);
  });
}

function closed(channel: ssh2.ClientChannel): Promise<{ code: number | null; signal: string | null }> {
  return new Promise((resolve) => {
    let code: number | null = null;
    let signal: string | null = null;
    channel.on("exit", (c: number | null, s?: string) => {
      code = c;
      signal = s ?? null;
    });
    channel.on("close", () => resolve({ code, signal }));
  });
}

describe("ssh2 is pinned to the version whose internals we use", () => {
  it("depends on exactly SSH2_VERSION and loads that version", () => {
    expect(packageJson.dependencies.ssh2).toBe(SSH2_VERSION);
    expect(installedSsh2Version()).toBe(SSH2_VERSION);
  });

  it("reads the algorithm tables from lib/protocol/constants.js", () => {
    const t = ssh2AlgorithmTables();
    for (const [defaults, supported] of [
      [t.DEFAULT_KEX, t.SUPPORTED_KEX],
      [t.DEFAULT_CIPHER, t.SUPPORTED_CIPHER],
      [t.DEFAULT_MAC, t.SUPPORTED_MAC],
      [t.DEFAULT_SERVER_HOST_KEY, t.SUPPORTED_SERVER_HOST_KEY],
      [t.DEFAULT_COMPRESSION, t.SUPPORTED_COMPRESSION],
    ] as const) {
      expect(defaults.length).toBeGreaterThan(0);
      for (const name of defaults) expect(supported).toContain(name);
    }
    expect(t.SUPPORTED_CIPHER).toContain("aes256-gcm@openssh.com");
  });

  it("wraps Protocol.prototype.authPK once ssh2 is loaded (the certificate module registered the hook)", () => {
    loadSsh2();
    expect(publicKeyAuthHookInstalled()).toBe(true);
    expect(typeof ssh2ProtocolClass().prototype.authPK).toBe("function");
  });
});

describeWithSshd("ssh2 internals against real sshd", () => {
  let sshd: SshdHarness;
  let client: ssh2.Client;
  beforeAll(async () => {
    sshd = await startSshd();
    client = await connect(sshd);
  });
  afterAll(async () => {
    client?.end();
    await sshd?.stop();
  });

  it("a connected Protocol has the parts the certificate request writer uses", () => {
    const proto = (client as unknown as { _protocol: Record<string, unknown> })._protocol;
    const writer = (proto._packetRW as { write: Record<string, unknown> }).write;
    expect(typeof writer.allocStart).toBe("number");
    expect(typeof writer.alloc).toBe("function");
    expect(typeof writer.finalize).toBe("function");
    expect(Array.isArray(proto._authsQueue)).toBe(true);
    expect("_kexinit" in proto).toBe(true);
    expect(typeof (proto._cipher as { encrypt?: unknown }).encrypt).toBe("function");
  });

  it("signals a command after our EOF (outgoing.state 'eof', _client._protocol.signal)", async () => {
    const channel = await openExec(client, "cat >/dev/null; echo eof-seen; exec sleep 60");
    const done = closed(channel);
    channel.stderr.resume();
    const seen = waitForOutput(channel, "eof-seen");
    channel.end();
    await seen;
    expect(outgoingState(channel)).toBe("eof");
    sendSignalRequest(channel, "TERM");
    expect(await done).toMatchObject({ signal: "SIGTERM" });
  });

  it("reads the SFTP limits and extensions OpenSSH announced (_maxReadLen, _maxWriteLen, _extensions)", async () => {
    const sftp = await new Promise<ssh2.SFTPWrapper>((resolve, reject) =>
      client.sftp((err, s) => (err ? reject(err) : resolve(s))),
    );
    try {
      const limits = sftpLimits(sftp);
      // limits@openssh.com raises both above ssh2's conservative 32 KiB.
      expect(limits.maxRead).toBeGreaterThan(32 * 1024);
      expect(limits.maxWrite).toBeGreaterThan(32 * 1024);
      expect(limits.extensions["posix-rename@openssh.com"]).toBeDefined();
    } finally {
      sftp.end();
    }
  });
});

// An in-process ssh2 server on loopback. Its protocol log shows what the client sent after its EOF
// (sshd's pty shows no late resize to the shell, and ssh2's Session ignores requests after EOF, so the
// parsed inbound packet is what can be checked); it also ends channels with exit after EOF.
describe("in-process ssh2 server: window-change after the client's EOF, exit-status after the server's EOF", () => {
  let server: ssh2.Server;
  let port = 0;
  const inbound: string[] = [];
  beforeAll(async () => {
    const hostKey = ssh2.utils.generateKeyPairSync("ed25519").private;
    const debug = (line: string) => {
      if (/Inbound: CHANNEL_(EOF|REQUEST)/.test(line)) inbound.push(line);
    };
    server = new ssh2.Server({ hostKeys: [hostKey], debug }, (conn) => {
      conn.on("authentication", (ctx) => ctx.accept());
      conn.on("ready", () => {
        conn.on("session", (accept) => {
          const session = accept();
          session.on("pty", (acceptPty) => acceptPty?.());
          session.on("exec", (acceptExec, _reject, info) => {
            const channel = acceptExec();
            channel.resume();
            if (info.command === "wait-for-resize") {
              // Answers once the client's EOF and its late window-change have been parsed.
              const poll = setInterval(() => {
                if (!inbound.some((l) => l.includes("window-change"))) return;
                clearInterval(poll);
                sendExitAfterEof(channel, { status: 0 });
              }, 20);
              return;
            }
            const exit = info.command === "signal" ? { signal: "KILL" } : { status: 5 };
            channel.write("out\n");
            expect(sendExitAfterEof(channel, exit)).toBe(true);
            expect(outgoingState(channel)).not.toBe("open");
          });
        });
      });
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    port = (server.address() as { port: number }).port;
  });
  afterAll(() => {
    server?.close();
  });

  async function withClient(use: (c: ssh2.Client) => Promise<void>): Promise<void> {
    const c = new ssh2.Client();
    await new Promise<void>((resolve, reject) => {
      c.once("ready", () => resolve());
      c.once("error", reject);
      c.connect({ host: "127.0.0.1", port, username: "u", password: "p" });
    });
    try {
      await use(c);
    } finally {
      c.end();
    }
  }

  it("sends window-change after our EOF", async () => {
    await withClient(async (c) => {
      const channel = await openExec(c, "wait-for-resize", true);
      const done = closed(channel);
      channel.resume();
      channel.end();
      expect(outgoingState(channel)).toBe("eof");
      sendWindowChangeRequest(channel, { rows: 40, cols: 100, height: 640, width: 800 });
      expect(await done).toMatchObject({ code: 0 });
      const eof = inbound.findIndex((l) => l.includes("CHANNEL_EOF"));
      const resize = inbound.findIndex((l) => l.includes("window-change"));
      expect(eof).toBeGreaterThanOrEqual(0);
      expect(resize).toBeGreaterThan(eof);
    });
  });

  for (const [command, expected] of [
    ["status", { code: 5, signal: null }],
    ["signal", { code: null, signal: "SIGKILL" }],
  ] as const) {
    it(`server: sends EOF, then exit-${command}, then close`, async () => {
      await withClient(async (c) => {
        const channel = await openExec(c, command);
        let output = "";
        let eofBeforeExit = false;
        channel.on("data", (chunk: Buffer) => {
          output += chunk.toString();
        });
        channel.on("exit", () => {
          eofBeforeExit = (channel as unknown as { incoming: { state: string } }).incoming.state === "eof";
        });
        expect(await closed(channel)).toEqual(expected);
        expect(output).toBe("out\n");
        expect(eofBeforeExit).toBe(true);
      });
    });
  }
});
