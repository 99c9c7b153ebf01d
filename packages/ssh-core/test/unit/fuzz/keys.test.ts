/**
 * Fuzzing private key loading: random bytes, truncated and mutated real keys (made by ssh-keygen)
 * give `KEY_UNREADABLE`; a wrong passphrase gives `BAD_PASSPHRASE`; nothing else escapes, and a
 * corrupted key cannot hang the loader (cases run in a worker that is killed when stuck).
 */
import { spawnSync } from "node:child_process";
import { mkdir, mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { BoundedRunner } from "@fabric-ts/testing/fuzz";
import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { loadIdentityFiles } from "../../../src/client/identities.js";
import { KeyFileError } from "../../../src/errors.js";
import { applyMutation, FUZZ_TIMEOUT, mutation, runs, SEED } from "../../support/fuzz-arbitraries.js";
import type { KeyCase, KeyOutcome } from "./keys.handler.js";

const PASSPHRASE = "correct horse";
const runner = new BoundedRunner<KeyCase, KeyOutcome>(new URL("./keys.handler.ts", import.meta.url));
let dir: string;
const keys: Record<string, { text: string; encrypted: boolean }> = {};

/** ssh-keygen with few KDF rounds (-a 1): decrypting is the work under test, not bcrypt's cost. */
function keygen(name: string, args: string[], passphrase = ""): void {
  const path = join(dir, name);
  const made = spawnSync("ssh-keygen", [
    "-q",
    "-a",
    "1",
    "-N",
    passphrase,
    "-C",
    "fuzz",
    "-f",
    path,
    ...args,
  ]);
  if (made.status !== 0) throw new Error(`ssh-keygen ${args.join(" ")}: ${made.stderr}`);
}

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "fuzz-keys-"));
  keygen("ed25519", ["-t", "ed25519"]);
  keygen("ecdsa", ["-t", "ecdsa", "-b", "256"]);
  keygen("rsa", ["-t", "rsa", "-b", "1024"]);
  keygen("ed25519-enc", ["-t", "ed25519"], PASSPHRASE);
  keygen("rsa-pem-enc", ["-t", "rsa", "-b", "1024", "-m", "PEM"], PASSPHRASE);
  for (const name of ["ed25519", "ecdsa", "rsa", "ed25519-enc", "rsa-pem-enc"]) {
    keys[name] = { text: await readFile(join(dir, name), "utf8"), encrypted: name.endsWith("-enc") };
  }
});

afterAll(async () => {
  await runner.stop();
  await rm(dir, { recursive: true, force: true });
});

async function run(input: KeyCase): Promise<KeyOutcome> {
  const outcome = await runner.run(input);
  if (outcome.kind === "crash")
    throw new Error(`key loader crashed: ${outcome.name}: ${outcome.message}\n${outcome.stack}`);
  if (outcome.kind === "typed") expect(["KEY_UNREADABLE", "BAD_PASSPHRASE"]).toContain(outcome.code);
  return outcome;
}

const b64 = (text: string | Uint8Array) => Buffer.from(text).toString("base64");

describe("private key fuzz", () => {
  it("the real keys load (encrypted ones with the right passphrase)", async () => {
    for (const [name, key] of Object.entries(keys)) {
      const outcome = await run({ data: b64(key.text), passphrase: PASSPHRASE });
      expect(outcome, name).toEqual({ kind: "loaded", encrypted: key.encrypted, decrypted: key.encrypted });
    }
  });

  it(
    "random bytes are KEY_UNREADABLE",
    async () => {
      await fc.assert(
        fc.asyncProperty(fc.uint8Array({ maxLength: 800 }), async (bytes) => {
          const outcome = await run({ data: b64(bytes), passphrase: PASSPHRASE });
          expect(outcome).toMatchObject({ kind: "typed", code: "KEY_UNREADABLE" });
        }),
        { seed: SEED, numRuns: runs(300) },
      );
    },
    FUZZ_TIMEOUT,
  );

  it(
    "truncated real keys are KEY_UNREADABLE",
    async () => {
      await fc.assert(
        fc.asyncProperty(fc.constantFrom(...Object.keys(keys)), fc.nat(), async (name, at) => {
          const text = keys[name]!.text;
          const cut = text.slice(0, Math.min(at % text.length, text.length - 40));
          const outcome = await run({ data: b64(cut), passphrase: PASSPHRASE });
          expect(outcome).toMatchObject({ kind: "typed", code: "KEY_UNREADABLE" });
        }),
        { seed: SEED, numRuns: runs(150) },
      );
    },
    FUZZ_TIMEOUT,
  );

  it(
    "mutated real keys load or fail with a typed error, with and without the passphrase",
    async () => {
      await fc.assert(
        fc.asyncProperty(
          fc.constantFrom(...Object.keys(keys)),
          fc.array(mutation, { minLength: 1, maxLength: 3 }),
          fc.constantFrom(PASSPHRASE, "wrong", undefined),
          async (name, mutations, passphrase) => {
            const damaged = mutations.reduce(applyMutation, keys[name]!.text);
            await run({ data: b64(damaged), ...(passphrase === undefined ? {} : { passphrase }) });
          },
        ),
        { seed: SEED, numRuns: runs(600) },
      );
    },
    FUZZ_TIMEOUT,
  );

  it(
    "a wrong passphrase is BAD_PASSPHRASE, for both encrypted formats",
    async () => {
      await fc.assert(
        fc.asyncProperty(
          fc.constantFrom("ed25519-enc", "rsa-pem-enc"),
          fc.string({ maxLength: 30 }).filter((p) => p !== PASSPHRASE),
          async (name, passphrase) => {
            const outcome = await run({ data: b64(keys[name]!.text), passphrase });
            expect(outcome).toMatchObject({ kind: "typed", code: "BAD_PASSPHRASE" });
          },
        ),
        { seed: SEED, numRuns: runs(40) },
      );
    },
    FUZZ_TIMEOUT,
  );

  it("a corrupted bcrypt rounds field is KEY_UNREADABLE at load, not a frozen process", async () => {
    const text = keys["ed25519-enc"]!.text;
    const body = text.replace(/-----[^-]+-----/g, "").replace(/\s+/g, "");
    const raw = Buffer.from(body, "base64");
    // magic(15) | cipher string | kdf string | kdf options: string(salt(4+16) rounds(4))
    let offset = 15;
    for (let i = 0; i < 2; i++) offset += 4 + raw.readUInt32BE(offset);
    const rounds = offset + 4 + 4 + raw.readUInt32BE(offset + 4);
    expect(raw.readUInt32BE(rounds)).toBe(1);
    raw.writeUInt32BE(2_463_589_136, rounds);
    const lines = raw
      .toString("base64")
      .match(/.{1,70}/g)!
      .join("\n");
    const damaged = `-----BEGIN OPENSSH PRIVATE KEY-----\n${lines}\n-----END OPENSSH PRIVATE KEY-----\n`;
    const outcome = await run({ data: b64(damaged), passphrase: "wrong" });
    expect(outcome).toMatchObject({
      kind: "typed",
      code: "KEY_UNREADABLE",
      message: expect.stringContaining("2463589136 rounds"),
    });
  });

  it("IdentityFile paths: a directory, a public key and an unreadable file are KEY_UNREADABLE; missing is skipped", async () => {
    const sub = join(dir, "a-directory");
    await mkdir(sub, { recursive: true });
    const pub = join(dir, "ed25519.pub");
    await writeFile(join(dir, "noise"), "not a key\n");
    for (const path of [sub, pub, join(dir, "noise")]) {
      const error = await loadIdentityFiles([path]).catch((e: unknown) => e);
      expect(error, path).toBeInstanceOf(KeyFileError);
      expect((error as KeyFileError).code).toBe("KEY_UNREADABLE");
      expect((error as KeyFileError).path).toBe(path);
    }
    expect(await loadIdentityFiles([join(dir, "missing")])).toEqual([]);
  });
});
