// A socket that fails while the client is still loading keys and known_hosts (before ssh2 takes it
// over) must fail the connect, not crash the process with an uncaught 'error' event.
import { Duplex } from "node:stream";
import { expect, it } from "vitest";
import { SshClient } from "../../src/client/ssh-client.js";

it("a reset before the SSH handshake starts rejects connect() instead of being uncaught", async () => {
  const sock = new Duplex({
    read() {},
    write(_chunk, _encoding, done) {
      done();
    },
  });
  const connecting = SshClient.connect({
    host: "127.0.0.1",
    port: 22,
    username: "nobody",
    sock,
    agent: "none",
    identityFiles: [],
    userKnownHostsFiles: [],
    globalKnownHostsFiles: [],
  } as Parameters<typeof SshClient.connect>[0]);
  // Emitted while connect() awaits its key and known_hosts loading (before ssh2 listens): with no
  // listener, emit() itself would throw here, as the socket's read callback does in production.
  sock.emit("error", Object.assign(new Error("read ECONNRESET"), { code: "ECONNRESET" }));
  await expect(connecting).rejects.toThrow(/lost: read ECONNRESET/);
});
