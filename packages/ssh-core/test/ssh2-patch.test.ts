// The project applies a patch to ssh2 (patches/ssh2@1.17.0.patch). These tests pin its behaviour
// against real sshd, so an ssh2 upgrade that drops or breaks the patch is noticed.
import { readFileSync } from "node:fs";
import ssh2 from "ssh2";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { describeWithSshd, type SshdHarness, startSshd } from "./support/sshd.js";

interface ProveSpy {
  client: ssh2.Client;
  proveCalls: () => number;
}

/** Connects a bare ssh2 client and counts the `hostkeys-prove` requests it sends. */
function connectCounting(sshd: SshdHarness, listen: boolean): Promise<ProveSpy> {
  const client = new ssh2.Client();
  let calls = 0;
  if (listen) client.on("hostkeys", () => {});
  return new Promise((resolve, reject) => {
    client.once("error", reject);
    client.once("ready", () => {
      // sshd announces its host keys right after authentication; wrap the sender before the
      // next packet is parsed.
      type Prove = (...args: unknown[]) => unknown;
      const proto = (client as unknown as { _protocol: { openssh_hostKeysProve: Prove } })._protocol;
      const original = proto.openssh_hostKeysProve.bind(proto);
      proto.openssh_hostKeysProve = (...args: unknown[]) => {
        calls += 1;
        return original(...args);
      };
      resolve({ client, proveCalls: () => calls });
    });
    const host = sshd.hosts[0]!;
    client.connect({
      host: host.address,
      port: host.port,
      username: sshd.user,
      privateKey: readFileSync(sshd.identityFile),
    });
  });
}

/** ssh2's SFTP channel with the internals the transfer tests adjust. */
type RawSftp = ssh2.SFTPWrapper & { outgoing: { packetSize: number; window: number } };

function openSftp(client: ssh2.Client): Promise<RawSftp> {
  return new Promise((resolve, reject) =>
    client.sftp((err, sftp) => (err ? reject(err) : resolve(sftp as RawSftp))),
  );
}

function call<T>(start: (done: (err: Error | null | undefined, value?: T) => void) => void): Promise<T> {
  return new Promise((resolve, reject) => start((err, value) => (err ? reject(err) : resolve(value as T))));
}

function exec(client: ssh2.Client, command: string): Promise<string> {
  return new Promise((resolve, reject) => {
    client.exec(command, (err, channel) => {
      if (err) return reject(err);
      let out = "";
      channel.on("data", (chunk: Buffer) => {
        out += chunk.toString();
      });
      channel.on("close", () => resolve(out));
      channel.stderr.resume();
    });
  });
}

/** Deterministic bytes that differ at every offset of interest. */
function pattern(length: number, seed: number): Buffer {
  const out = Buffer.allocUnsafe(length);
  let x = seed;
  for (let i = 0; i < length; i++) {
    x = (x * 1103515245 + 12345) >>> 0;
    out[i] = x >>> 24;
  }
  return out;
}

/** Runs one command so every packet sshd sent after authentication has been handled. */
function runTrue(client: ssh2.Client): Promise<void> {
  return new Promise((resolve, reject) => {
    client.exec("true", (err, channel) => {
      if (err) return reject(err);
      channel.on("close", () => resolve());
      channel.resume();
    });
  });
}

describeWithSshd("patched ssh2 against real sshd", () => {
  let sshd: SshdHarness;
  beforeAll(async () => {
    sshd = await startSshd();
  });
  afterAll(async () => {
    await sshd?.stop();
  });

  it("skips the hostkeys-prove round when nobody listens for 'hostkeys'", async () => {
    const { client, proveCalls } = await connectCounting(sshd, false);
    try {
      await runTrue(client);
      expect(proveCalls()).toBe(0);
    } finally {
      client.end();
    }
  });

  it("still proves and emits the host keys for a 'hostkeys' listener", async () => {
    const { client, proveCalls } = await connectCounting(sshd, true);
    const keys = new Promise<unknown[]>((resolve) => client.once("hostkeys", resolve));
    try {
      await runTrue(client);
      expect(proveCalls()).toBe(1);
      expect((await keys).length).toBeGreaterThan(0);
    } finally {
      client.end();
    }
  });

  it("closes a channel without ending its writable side twice (no ERR_STREAM_ALREADY_FINISHED per channel)", async () => {
    const { client } = await connectCounting(sshd, false);
    try {
      for (const stdin of ["end", "eof"] as const) {
        const endsAfterEnded = await new Promise<number>((resolve, reject) => {
          client.exec("cat", (err, channel) => {
            if (err) return reject(err);
            let late = 0;
            const end = channel.end.bind(channel);
            channel.end = ((...args: Parameters<typeof channel.end>) => {
              if (channel.writableEnded) late++;
              return end(...args);
            }) as typeof channel.end;
            // autoDestroy runs after close, once the writable side has finished.
            channel.on("close", () => setTimeout(() => resolve(late), 20));
            channel.resume();
            if (stdin === "end") channel.end();
            else channel.eof();
          });
        });
        expect(endsAfterEnded, `stdin closed with ${stdin}()`).toBe(0);
      }
    } finally {
      client.end();
    }
  });

  describe("SFTP data paths (writes without a joined copy, reads straight into the caller's buffer)", () => {
    let client: ssh2.Client;
    let sftp: RawSftp;
    let dir: string;
    beforeAll(async () => {
      ({ client } = await connectCounting(sshd, false));
      sftp = await openSftp(client);
      dir = (await exec(client, "mktemp -d")).trim();
    });
    afterAll(async () => {
      if (dir) await exec(client, `rm -rf '${dir}'`);
      client?.end();
    });

    async function readBack(path: string, size: number): Promise<Buffer> {
      const handle = await call<Buffer>((done) => sftp.open(path, "r", done));
      const out = Buffer.alloc(size);
      let got = 0;
      while (got < size) {
        const n = await call<number>((done) => sftp.read(handle, out, got, size - got, got, done));
        if (n === 0) break;
        got += n;
      }
      await call<void>((done) => sftp.close(handle, done));
      return out.subarray(0, got);
    }

    it("writes many large requests beyond the channel window, byte-exact", async () => {
      const data = pattern(6 * 1024 * 1024 + 123, 1);
      const path = `${dir}/big.bin`;
      const handle = await call<Buffer>((done) => sftp.open(path, "w", done));
      const chunk = 255 * 1024;
      const writes: Promise<void>[] = [];
      // All at once: most wait for window space as header + data pairs.
      for (let at = 0; at < data.length; at += chunk) {
        const length = Math.min(chunk, data.length - at);
        writes.push(call<void>((done) => sftp.write(handle, data, at, length, at, done)));
      }
      await Promise.all(writes);
      await call<void>((done) => sftp.close(handle, done));
      expect((await readBack(path, data.length)).equals(data)).toBe(true);
    });

    it("splits a write's header over several tiny channel packets", async () => {
      const data = pattern(1000, 2);
      const path = `${dir}/tiny-packets.bin`;
      const handle = await call<Buffer>((done) => sftp.open(path, "w", done));
      const packetSize = sftp.outgoing.packetSize;
      // Smaller packets than the server allows are legal; 7 bytes cut the header in several places.
      sftp.outgoing.packetSize = 7;
      try {
        await call<void>((done) => sftp.write(handle, data, 100, 900, 0, done));
      } finally {
        sftp.outgoing.packetSize = packetSize;
      }
      await call<void>((done) => sftp.close(handle, done));
      expect((await readBack(path, 2000)).equals(data.subarray(100))).toBe(true);
    });

    it("reads large replies into the right part of the caller's buffer, short at end of file", async () => {
      const data = pattern(700 * 1024 + 5, 3);
      const path = `${dir}/read.bin`;
      await call<void>((done) => sftp.writeFile(path, data, done));
      const handle = await call<Buffer>((done) => sftp.open(path, "r", done));
      const out = Buffer.alloc(300 * 1024, 0xee);
      const n = await call<number>((done) => sftp.read(handle, out, 7, 250 * 1024, 100_000, done));
      expect(n).toBe(250 * 1024);
      expect(out.subarray(7, 7 + n).equals(data.subarray(100_000, 100_000 + n))).toBe(true);
      expect(out.subarray(0, 7).every((b) => b === 0xee)).toBe(true);
      expect(out.subarray(7 + n).every((b) => b === 0xee)).toBe(true);
      // Past the end: a short reply, then end of file.
      const tail = Buffer.alloc(64 * 1024);
      const last = await call<number>((done) =>
        sftp.read(handle, tail, 0, tail.length, data.length - 5000, done),
      );
      expect(last).toBe(5000);
      expect(tail.subarray(0, last).equals(data.subarray(data.length - 5000))).toBe(true);
      // Many reads in flight, answered in order over one channel.
      const all = Buffer.alloc(data.length);
      const chunk = 200 * 1024;
      const reads: Promise<number>[] = [];
      for (let at = 0; at < data.length; at += chunk) {
        reads.push(
          call<number>((done) => sftp.read(handle, all, at, Math.min(chunk, data.length - at), at, done)),
        );
      }
      expect((await Promise.all(reads)).reduce((a, b) => a + b, 0)).toBe(data.length);
      expect(all.equals(data)).toBe(true);
      await call<void>((done) => sftp.close(handle, done));
    });

    it("keeps exec output intact while SFTP reads reuse inbound packet buffers on the same connection", async () => {
      const data = pattern(3 * 1024 * 1024 + 17, 4);
      const path = `${dir}/shared.bin`;
      await call<void>((done) => sftp.writeFile(path, data, done));
      // The exec channel's chunks are kept (not copied) until the end, interleaved with SFTP replies.
      const viaExec = new Promise<Buffer>((resolve, reject) => {
        client.exec(`cat '${path}'; cat '${path}'`, (err, channel) => {
          if (err) return reject(err);
          const chunks: Buffer[] = [];
          channel.on("data", (chunk: Buffer) => chunks.push(chunk));
          channel.on("close", () => resolve(Buffer.concat(chunks)));
          channel.stderr.resume();
        });
      });
      const [execOut, sftpOut] = await Promise.all([viaExec, readBack(path, data.length)]);
      expect(sftpOut.equals(data)).toBe(true);
      expect(execOut.equals(Buffer.concat([data, data]))).toBe(true);
    });
  });
});
