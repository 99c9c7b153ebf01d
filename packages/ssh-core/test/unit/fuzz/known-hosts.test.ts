/**
 * Fuzzing known_hosts parsing: random text and damaged lines never make `parseKnownHosts` throw;
 * every line that is neither blank nor a comment becomes an entry or a problem with its line
 * number; and a damaged line is never accepted as a match for the key it was damaged from.
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { knownHostsName } from "../../../src/known-hosts/host-pattern.js";
import { checkHostKey } from "../../../src/known-hosts/lookup.js";
import { parseKnownHosts } from "../../../src/known-hosts/parse.js";
import {
  FUZZ_TIMEOUT,
  keyBlob,
  knownHostsDamage,
  knownHostsLine,
  runs,
  SEED,
} from "../../support/fuzz-arbitraries.js";

const meaningfulLines = (text: string) =>
  text
    .split(/\r?\n/)
    .map((line, i) => ({ line: i + 1, text: line.trim() }))
    .filter(({ text }) => text !== "" && !text.startsWith("#"));

describe("known_hosts fuzz", () => {
  it(
    "random text: never throws, every line is an entry or a problem with its number",
    () => {
      fc.assert(
        fc.property(
          fc.array(
            fc.oneof(
              fc.string({ unit: "binary", maxLength: 80 }),
              knownHostsLine.map((l) => l.text),
              fc.tuple(knownHostsLine, knownHostsDamage).map(([l, damage]) => damage(l.text)),
            ),
            { maxLength: 12 },
          ),
          fc.constantFrom("\n", "\r\n"),
          (lines, eol) => {
            const text = lines.join(eol);
            const { entries, problems } = parseKnownHosts(text, "/kh");
            const expected = meaningfulLines(text).map((l) => l.line);
            const seen = [...entries.map((e) => e.line), ...problems.map((p) => p.line)].sort(
              (a, b) => a - b,
            );
            expect(seen).toEqual(expected);
            for (const problem of problems) expect(problem.file).toBe("/kh");
            for (const entry of entries) {
              // An accepted entry holds canonical base64 whose blob names the line's key type.
              expect(Buffer.from(entry.keyBase64, "base64").toString("base64")).toBe(entry.keyBase64);
              expect(entry.keyType).not.toBe("");
            }
          },
        ),
        { seed: SEED, numRuns: runs(2000) },
      );
    },
    FUZZ_TIMEOUT,
  );

  it(
    "well-formed lines parse as entries that match their own key",
    () => {
      fc.assert(
        fc.property(knownHostsLine, (line) => {
          const { entries, problems } = parseKnownHosts(line.text);
          expect(problems).toEqual([]);
          expect(entries).toHaveLength(1);
          expect(entries[0]!.keyType).toBe(line.type);
          expect(Buffer.from(entries[0]!.keyBase64, "base64").equals(line.blob)).toBe(true);
        }),
        { seed: SEED, numRuns: runs(500) },
      );
    },
    FUZZ_TIMEOUT,
  );

  it(
    "a damaged line is skipped or still describes exactly its key, never a looser match",
    () => {
      fc.assert(
        fc.property(knownHostsLine, knownHostsDamage, (line, damage) => {
          const damaged = damage(line.text);
          const { entries } = parseKnownHosts(damaged);
          for (const entry of entries) {
            const blob = Buffer.from(entry.keyBase64, "base64");
            // Whatever survives must be self-consistent: the blob's own type is the line's type.
            expect(blob.toString("base64")).toBe(entry.keyBase64);
            expect(blob.subarray(4, 4 + blob.readUInt32BE(0)).toString("latin1")).toBe(entry.keyType);
          }
        }),
        { seed: SEED, numRuns: runs(1500) },
      );
    },
    FUZZ_TIMEOUT,
  );
});

describe("known_hosts regressions found by fuzzing", () => {
  const key = keyBlob("ssh-ed25519", new Uint8Array(32).fill(7));
  const b64 = key.toString("base64");

  it("junk after the base64 key is a malformed line, not a match for the key", () => {
    for (const junk of ["!!", "*", "A", "?"]) {
      const { entries, problems } = parseKnownHosts(`web1 ssh-ed25519 ${b64}${junk}\n`, "/kh");
      expect(entries).toEqual([]);
      expect(problems).toEqual([{ file: "/kh", line: 1, message: expect.stringContaining("key") }]);
      expect(checkHostKey(entries, "web1", "ssh-ed25519", key).status).toBe("unknown");
    }
  });

  it("a key whose blob names another type than the line is malformed", () => {
    const { entries, problems } = parseKnownHosts(`web1 ssh-rsa ${b64}\n`);
    expect(entries).toEqual([]);
    expect(problems[0]?.message).toMatch(/type/);
  });

  it("hashed hosts need base64 salt and hash of HMAC-SHA1 size", () => {
    const salt = Buffer.alloc(20, 1).toString("base64");
    const good = `|1|${salt}|${Buffer.alloc(20, 2).toString("base64")} ssh-ed25519 ${b64}`;
    expect(parseKnownHosts(good).entries).toHaveLength(1);
    for (const bad of [
      `|1|!!notbase64!!|${Buffer.alloc(20, 2).toString("base64")} ssh-ed25519 ${b64}`,
      `|1|c2FsdA==|${Buffer.alloc(20, 2).toString("base64")} ssh-ed25519 ${b64}`,
      `|1|${salt}|c2hvcnQ= ssh-ed25519 ${b64}`,
      `|1|${salt}|${Buffer.alloc(20, 2).toString("base64")}|x ssh-ed25519 ${b64}`,
    ]) {
      const { entries, problems } = parseKnownHosts(bad);
      expect(entries, bad).toEqual([]);
      expect(problems[0]?.message).toBe("malformed hashed host");
    }
    expect(knownHostsName("web1", 22)).toBe("web1");
  });
});
