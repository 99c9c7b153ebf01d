/**
 * Fuzzing the `[user@]host[:port]`, `ssh://` and ProxyJump parsers: random and structured text
 * never throws anything but an SshConfigError, and whatever parses is well-formed (non-empty host,
 * integer port 1-65535). Well-formed input round-trips.
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  parseProxyJump,
  parseSshUri,
  parseUserHostPort,
  type UserHostPort,
} from "../../../src/ssh-config/destination.js";
import { SshConfigError } from "../../../src/ssh-config/errors.js";
import { FUZZ_TIMEOUT, runs, SEED } from "../../support/fuzz-arbitraries.js";

const piece = fc.oneof(
  fc.constantFrom(
    "u",
    "user",
    "a@b",
    "host",
    "h.example",
    "[::1]",
    "[fe80::1%eth0]",
    "::1",
    "ssh://",
    "@",
    ":",
    "/",
    "[",
    "]",
    "%",
    ";",
    "#",
    ",",
    "22",
    "0",
    "65536",
    "-1",
    " ",
  ),
  fc.string({ unit: "binary", maxLength: 6 }),
);
const hostText = fc.array(piece, { maxLength: 6 }).map((parts) => parts.join(""));

function wellFormed(hop: UserHostPort): void {
  expect(hop.host).not.toBe("");
  if (hop.port !== undefined) {
    expect(Number.isInteger(hop.port)).toBe(true);
    expect(hop.port).toBeGreaterThanOrEqual(1);
    expect(hop.port).toBeLessThanOrEqual(65535);
  }
}

describe("host string fuzz", () => {
  it(
    "parseUserHostPort / parseSshUri: never throw; results are well-formed",
    () => {
      fc.assert(
        fc.property(hostText, (text) => {
          const plain = parseUserHostPort(text);
          if (plain !== null) wellFormed(plain);
          const uri = parseSshUri(text);
          if (uri !== null && uri !== "not-uri") wellFormed(uri);
        }),
        { seed: SEED, numRuns: runs(3000) },
      );
    },
    FUZZ_TIMEOUT,
  );

  it(
    "parseProxyJump: hops or an SshConfigError, nothing else",
    () => {
      fc.assert(
        fc.property(fc.array(hostText, { minLength: 1, maxLength: 4 }), (hops) => {
          try {
            for (const hop of parseProxyJump(hops.join(","))) wellFormed(hop);
          } catch (error) {
            expect(error).toBeInstanceOf(SshConfigError);
            expect((error as SshConfigError).code).toBe("INVALID_OPTIONS");
          }
        }),
        { seed: SEED, numRuns: runs(2000) },
      );
    },
    FUZZ_TIMEOUT,
  );

  it(
    "well-formed user@host:port round-trips",
    () => {
      const name = fc.stringMatching(/^[a-z][a-z0-9-]{0,10}$/);
      fc.assert(
        fc.property(
          name,
          fc.stringMatching(/^[a-z][a-z0-9.-]{0,15}$/),
          fc.integer({ min: 1, max: 65535 }),
          (user, host, port) => {
            expect(parseUserHostPort(`${user}@${host}:${port}`)).toEqual({ user, host, port });
            expect(parseProxyJump(`${user}@${host}:${port},${host}`)).toEqual([
              { user, host, port },
              { host },
            ]);
          },
        ),
        { seed: SEED, numRuns: runs(500) },
      );
    },
    FUZZ_TIMEOUT,
  );

  it("an invalid ProxyJump hop is a typed SshConfigError (was a plain Error)", () => {
    const error = (() => {
      try {
        parseProxyJump("good,@bad");
      } catch (e) {
        return e;
      }
    })();
    expect(error).toBeInstanceOf(SshConfigError);
    expect(error).toMatchObject({ code: "INVALID_OPTIONS", message: 'Invalid ProxyJump hop "@bad"' });
  });
});
