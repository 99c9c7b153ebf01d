import { randomBytes } from "node:crypto";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Client, ClientChannel } from "ssh2";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import {
  type EmbeddedChannelEvent,
  type EmbeddedHosts,
  startEmbeddedHosts,
} from "../../src/embedded/index.js";
import {
  call,
  collect,
  connectClient,
  embeddedTarget,
  eventually,
  exec,
  openExec,
  openSftp,
  runProgram,
  ssh,
  sshArgs,
} from "../support/embedded-helpers.js";

/** Resolves when the client's connection is gone, with the error it reported (if any). */
function closed(client: Client): Promise<Error | undefined> {
  return new Promise((resolve) => {
    let error: Error | undefined;
    client.on("error", (e: Error) => {
      error = e;
    });
    client.once("close", () => resolve(error));
  });
}

describe("embedded hosts: fault injection", () => {
  let group: EmbeddedHosts;
  let local: string;
  const target = () => embeddedTarget(group, "flaky");
  const host = () => group.host("flaky");

  beforeAll(async () => {
    group = await startEmbeddedHosts({ hosts: ["flaky", "steady"] });
    local = await mkdtemp(join(tmpdir(), "fabric-ts-faults-"));
  });
  afterAll(async () => {
    await group?.stop();
    await rm(local, { recursive: true, force: true });
  });
  beforeEach(() => {
    host().faults = {};
  });

  it("bannerDelayMs holds the SSH banner back: a short handshake timeout fails, the host recovers", async () => {
    host().faults = { bannerDelayMs: 5000 };
    await expect(connectClient(target(), { readyTimeout: 300 })).rejects.toThrow(
      /Timed out while waiting for handshake/,
    );
    host().faults.bannerDelayMs = 50;
    const client = await connectClient(target());
    expect((await exec(client, "echo late")).stdout).toBe("late\n");
    client.end();
  });

  it("authDelayMs delays the auth answer past a client's ready timeout", async () => {
    host().faults = { authDelayMs: 5000 };
    await expect(connectClient(target(), { readyTimeout: 500 })).rejects.toThrow(/Timed out/);
    host().faults = {};
    const client = await connectClient(target());
    expect((await exec(client, "echo in")).stdout).toBe("in\n");
    client.end();
  });

  it("rejectAuth refuses even the authorised key, and can be lifted at runtime", async () => {
    host().faults = { rejectAuth: true };
    await expect(connectClient(target())).rejects.toThrow(/authentication methods failed/);
    const viaOpenSsh = await ssh(target(), "true");
    expect(viaOpenSsh.code).toBe(255);
    expect(viaOpenSsh.stderr).toMatch(/Permission denied/);
    host().faults.rejectAuth = false;
    expect((await ssh(target(), "echo back")).stdout).toBe("back\n");
  });

  it("refuseChannels: true refuses every channel, N refuses from the Nth on", async () => {
    const refused: EmbeddedChannelEvent[] = [];
    const onChannel = (event: EmbeddedChannelEvent) => {
      if (!event.accepted) refused.push(event);
    };
    host().on("channel", onChannel);
    try {
      host().faults = { refuseChannels: true };
      const client = await connectClient(target());
      await expect(exec(client, "true")).rejects.toThrow(/open failure|Channel open/i);
      client.end();

      host().faults = { refuseChannels: 3 };
      const second = await connectClient(target());
      expect((await exec(second, "echo 1")).stdout).toBe("1\n");
      expect((await exec(second, "echo 2")).stdout).toBe("2\n");
      await expect(exec(second, "echo 3")).rejects.toThrow(/open failure|Channel open/i);
      second.end();
      expect(refused.map((e) => e.reason)).toEqual(["refuseChannels", "refuseChannels"]);
    } finally {
      host().off("channel", onChannel);
    }
  });

  it("maxSessions: 2 refuses the third concurrent session, then admits one when a slot frees", async () => {
    host().faults = { maxSessions: 2 };
    const client = await connectClient(target());
    try {
      const first = await openExec(client, "read line; echo first");
      const second = await openExec(client, "read line; echo second");
      await expect(openExec(client, "echo third")).rejects.toThrow(/open failure|Channel open/i);
      const firstDone = collect(first);
      first.end("go\n");
      expect((await firstDone).stdout).toBe("first\n");
      expect((await exec(client, "echo fourth")).stdout).toBe("fourth\n");
      const secondDone = collect(second);
      second.end("go\n");
      expect((await secondDone).stdout).toBe("second\n");
    } finally {
      client.end();
    }
  });

  it("maxSessions also applies to OpenSSH multiplexing-free sessions one at a time (no false refusals)", async () => {
    host().faults = { maxSessions: 1 };
    const client = await connectClient(target());
    for (const n of [1, 2, 3]) expect((await exec(client, `echo ${n}`)).stdout).toBe(`${n}\n`);
    client.end();
  });

  it("dropAfterBytes cuts a command mid-output: no exit status, connection lost", async () => {
    host().faults = { dropAfterBytes: 1_000_000 };
    const client = await connectClient(target());
    const gone = closed(client);
    const channel = await openExec(client, "head -c 20000000 /dev/zero");
    const result = await collect(channel);
    await gone;
    expect(result.code).toBeUndefined();
    expect(result.stdout.length).toBeGreaterThan(0);
    expect(result.stdout.length).toBeLessThan(20_000_000);

    const viaOpenSsh = await ssh(target(), "head -c 20000000 /dev/zero");
    expect(viaOpenSsh.code).toBe(255);
    expect(viaOpenSsh.stdout.length).toBeLessThan(20_000_000);
  });

  it("dropAfterBytes cuts an SFTP upload mid-transfer with a connection-lost error", async () => {
    host().faults = { dropAfterBytes: 2 * 1024 * 1024 };
    const client = await connectClient(target());
    const gone = closed(client);
    const sftp = await openSftp(client);
    const handle = await call<Buffer>((cb) => sftp.open(join(host().dir, "upload.bin"), "w", cb));
    // Pipelined writes, all in flight when the connection drops (ssh2's fastPut would hang on the
    // dead channel while closing its handle, a client-side limitation).
    const chunk = randomBytes(32 * 1024);
    const writes = Array.from({ length: 256 }, (_, i) =>
      call((cb) => sftp.write(handle, chunk, 0, chunk.length, i * chunk.length, cb)),
    );
    await expect(Promise.all(writes)).rejects.toThrow(/No response from server|connection/i);
    await gone;

    const file = join(local, "upload.bin");
    await writeFile(file, randomBytes(8 * 1024 * 1024));
    const batch = join(local, "batch");
    await writeFile(batch, `put ${file} upload-openssh.bin\n`);
    const viaOpenSsh = await runProgram("sftp", [...sshArgs(target()), "-b", batch, "flaky"]);
    expect(viaOpenSsh.code).not.toBe(0);
    expect(viaOpenSsh.stderr).toMatch(/Connection closed|Broken pipe|Connection reset|lost/i);

    const steady = await connectClient(embeddedTarget(group, "steady"));
    expect((await exec(steady, "echo unaffected")).stdout).toBe("unaffected\n");
    steady.end();
  });

  it("dropOnExec accepts the matching command, then cuts the connection without running it", async () => {
    host().faults = { dropOnExec: /deploy/ };
    const client = await connectClient(target());
    const gone = closed(client);
    const result = await exec(client, "touch ran.txt; echo deploy");
    await gone;
    expect(result.code).toBeUndefined();
    expect(result.stdout).toBe("");
    expect(host().log.at(-1)).toMatchObject({ command: "touch ran.txt; echo deploy", dropped: true });
    host().faults = { dropOnExec: "other-string" };
    expect((await ssh(target(), "test -e ran.txt || echo not-run")).stdout).toBe("not-run\n");
  });

  it("execDelayMs holds the command back before it starts", async () => {
    host().faults = { execDelayMs: 400 };
    const client = await connectClient(target());
    const result = await exec(client, "date +%s%3N");
    client.end();
    const startedAt = host().log.at(-1)?.startedAt.getTime() ?? 0;
    // A lower bound only: the command cannot have started before the delay elapsed.
    expect(Number(result.stdout.trim()) - startedAt).toBeGreaterThanOrEqual(390);
  });

  it("closeChannelAbruptly delivers the output but no exit status", async () => {
    host().faults = { closeChannelAbruptly: true };
    const client = await connectClient(target());
    const result = await exec(client, "echo partial; exit 5");
    client.end();
    expect(result.stdout).toBe("partial\n");
    expect(result.code).toBeUndefined();
    expect(host().log.at(-1)?.exitCode).toBe(5);
  });

  it("exitBeforeEof swaps the exit-status and EOF (both orders come from a real sshd)", async () => {
    const order = async () => {
      const seen: string[] = [];
      const debug = (message: string) => {
        const match = /Inbound: CHANNEL_(EOF|REQUEST \(r:\d+, exit-status)/.exec(message);
        if (match?.[1]) seen.push(match[1].startsWith("REQUEST") ? "exit-status" : match[1]);
      };
      const client = await connectClient(target(), { debug });
      const result = await exec(client, "exit 6");
      client.end();
      expect(result.code).toBe(6);
      return seen;
    };
    expect(await order()).toEqual(["EOF", "exit-status"]);
    host().faults = { exitBeforeEof: true };
    expect(await order()).toEqual(["exit-status", "EOF"]);
  });

  it("dropAll cuts every open connection of every host", async () => {
    const clients = await Promise.all([
      connectClient(target()),
      connectClient(embeddedTarget(group, "steady")),
    ]);
    const gone = clients.map(closed);
    const running: ClientChannel = await openExec(clients[0] as Client, "sleep 30");
    const result = collect(running);
    group.dropAll();
    await Promise.all(gone);
    expect((await result).code).toBeUndefined();
    await eventually(() => group.hosts.every((h) => h.connections === 0));
  });
});
