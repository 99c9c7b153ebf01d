/**
 * Fuzzing Fabric's `user@host:port` shorthand and the Connection built from it (no network: a
 * Connection only resolves its settings until first use). Random text gives a Shorthand or a
 * ConnectionSpecError; a Connection is built or refused with a typed error; well-formed strings
 * round-trip.
 */
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { SshConfigError } from "@fabric-ts/ssh-core/ssh-config";
import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { FabricConfig } from "../../../src/config/fabric-config.js";
import { Connection } from "../../../src/connection/connection.js";
import { deriveShorthand, type Shorthand } from "../../../src/connection/shorthand.js";
import { ConnectionSpecError } from "../../../src/errors/index.js";

const SEED = Number(process.env.FUZZ_SEED ?? 0x5eed);
const SCALE = Number(process.env.FUZZ_SCALE ?? 1);
const runs = (n: number) => Math.max(1, Math.round(n * SCALE));
const FUZZ_TIMEOUT = 120_000 * Math.max(1, SCALE);

const piece = fc.oneof(
  fc.constantFrom(
    "u",
    "deploy",
    "@",
    ":",
    "::",
    "::1",
    "[",
    "]",
    "host",
    "h.example",
    "22",
    "0",
    "65536",
    "+1",
    " 2 ",
    "-",
    "%",
    "ssh://",
    "#",
    " ",
    "\n",
  ),
  fc.string({ unit: "binary", maxLength: 5 }),
);
const hostText = fc.array(piece, { maxLength: 6 }).map((parts) => parts.join(""));

function wellFormed(parsed: Shorthand): void {
  expect(parsed.host).not.toContain("@");
  if (parsed.user !== undefined) expect(parsed.user).not.toBe("");
  if (parsed.port !== undefined) {
    expect(Number.isInteger(parsed.port)).toBe(true);
    expect(parsed.port).toBeGreaterThanOrEqual(1);
    expect(parsed.port).toBeLessThanOrEqual(65535);
  }
}

let dir: string;
let sshConfigPath: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "fuzz-host-"));
  sshConfigPath = join(dir, "ssh_config");
  await writeFile(
    sshConfigPath,
    "Host alias\n  Hostname real.example\n  Port 2200\nHost *.tld\n  ProxyJump bastion.tld\n",
  );
});
afterAll(() => rm(dir, { recursive: true, force: true }));

/** Reads only our ssh_config, no config files, no environment. */
function config(): FabricConfig {
  const c = new FabricConfig({ lazy: true, runtimeSshPath: sshConfigPath, env: {} });
  c.set("user", "localme");
  return c;
}

describe("host string fuzz", () => {
  it(
    "deriveShorthand: a well-formed Shorthand or a ConnectionSpecError",
    () => {
      fc.assert(
        fc.property(hostText, (text) => {
          let parsed: Shorthand;
          try {
            parsed = deriveShorthand(text);
          } catch (error) {
            expect(error).toBeInstanceOf(ConnectionSpecError);
            expect((error as Error).message).toContain("Invalid port");
            return;
          }
          wellFormed(parsed);
        }),
        { seed: SEED, numRuns: runs(3000) },
      );
    },
    FUZZ_TIMEOUT,
  );

  it(
    "user@host:port round-trips, users may contain @, IPv6 hosts never get a port",
    () => {
      const user = fc.string({ minLength: 1, maxLength: 12 });
      const host = fc.stringMatching(/^[a-z0-9][a-z0-9.-]{0,20}$/);
      fc.assert(
        fc.property(user, host, fc.integer({ min: 1, max: 65535 }), (u, h, port) => {
          expect(deriveShorthand(`${u}@${h}:${port}`)).toEqual({ user: u, host: h, port });
          expect(deriveShorthand(`${u}@${h}`)).toEqual({ user: u, host: h, port: undefined });
          expect(deriveShorthand(`${u}@${h}::1`)).toEqual({ user: u, host: `${h}::1`, port: undefined });
        }),
        { seed: SEED, numRuns: runs(1000) },
      );
    },
    FUZZ_TIMEOUT,
  );

  it(
    "new Connection(random host): built, or a ConnectionSpecError / SshConfigError",
    () => {
      fc.assert(
        fc.property(
          hostText,
          fc.option(fc.integer({ min: -5, max: 70_000 }), { nil: undefined }),
          (text, port) => {
            let connection: Connection;
            try {
              connection = new Connection(text, {
                config: config(),
                ...(port === undefined ? {} : { port }),
              });
            } catch (error) {
              if (error instanceof ConnectionSpecError || error instanceof SshConfigError) return;
              throw error;
            }
            expect(connection.host).not.toBe("");
            expect(Number.isInteger(connection.port)).toBe(true);
            expect(connection.port).toBeGreaterThanOrEqual(1);
            expect(connection.port).toBeLessThanOrEqual(65535);
            expect(typeof connection.user).toBe("string");
          },
        ),
        { seed: SEED, numRuns: runs(800) },
      );
    },
    FUZZ_TIMEOUT,
  );
});
