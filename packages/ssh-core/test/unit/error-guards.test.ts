import { existsSync } from "node:fs";
import { fileURLToPath, pathToFileURL } from "node:url";
import { describe, expect, expectTypeOf, it } from "vitest";
import {
  ControlDirError,
  HostKeyError,
  isSshError,
  JumpHostError,
  SshAbortError,
  SshConfigError,
  SshConnectError,
  SshError,
  type SshErrorCode,
} from "../../src/errors.js";
import { ControlDirError as ControlDirErrorFromMux } from "../../src/mux/control-dir.js";
import { SshConfigError as SshConfigErrorFromIndex } from "../../src/ssh-config/index.js";

// The built `@fabric-ts/ssh-core/errors` bundle is a second copy: its classes are not these.
const distErrors = fileURLToPath(new URL("../../dist/bundle/errors.js", import.meta.url));
type Copy = typeof import("../../src/errors.js");
async function secondCopy(): Promise<Copy> {
  if (!existsSync(distErrors)) throw new Error(`build @fabric-ts/ssh-core first: ${distErrors} is missing`);
  return (await import(pathToFileURL(distErrors).href)) as Copy;
}

const hostKey = { hostName: "[127.0.0.1]:2222", keyType: "ssh-ed25519", fingerprint: "SHA256:abc" };

describe("isSshError", () => {
  it("selects by class name (subclasses included) or by code", () => {
    const refused = new SshConnectError("CONNECT_REFUSED", "127.0.0.1", 22, "Connection refused");
    expect(isSshError(refused)).toBe(true);
    expect(isSshError(refused, "SshConnectError")).toBe(true);
    expect(isSshError(refused, "SshError")).toBe(true);
    expect(isSshError(refused, "CONNECT_REFUSED")).toBe(true);
    expect(isSshError(refused, "CONNECT_TIMEOUT")).toBe(false);
    expect(isSshError(refused, "HostKeyError")).toBe(false);
    // `name` is "AbortError" like DOM aborts; the guard goes by class.
    const aborted = new SshAbortError();
    expect(aborted.name).toBe("AbortError");
    expect(isSshError(aborted, "SshAbortError")).toBe(true);
    expect(isSshError(aborted, "ABORTED")).toBe(true);
  });

  it("keeps the existing codes, and puts ssh_config and control-directory errors under SshError", () => {
    const config = new SshConfigError("BAD_TOKEN", "percent_expand: unknown key %Z");
    expect(config).toBeInstanceOf(SshError);
    expect([config.name, config.code, config.message]).toEqual([
      "SshConfigError",
      "BAD_TOKEN",
      "percent_expand: unknown key %Z",
    ]);
    expect(isSshError(config, "SshConfigError")).toBe(true);
    expect(isSshError(config, "BAD_TOKEN")).toBe(true);
    const dir = new ControlDirError("/tmp/x is not a directory");
    expect([dir.name, dir.code, dir.message]).toEqual([
      "ControlDirError",
      "CONTROL_DIR_UNUSABLE",
      "/tmp/x is not a directory",
    ]);
    expect(isSshError(dir, "ControlDirError")).toBe(true);
    // The old import paths give the same classes.
    expect(ControlDirErrorFromMux).toBe(ControlDirError);
    expect(SshConfigErrorFromIndex).toBe(SshConfigError);
  });

  it("rejects look-alikes: a plain Error named and coded like an SSH error is not one", () => {
    const fake = Object.assign(new Error("Host key verification failed"), {
      name: "HostKeyError",
      code: "HOST_KEY_MISMATCH",
    });
    expect(isSshError(fake)).toBe(false);
    expect(isSshError(fake, "HostKeyError")).toBe(false);
    expect(isSshError(fake, "HOST_KEY_MISMATCH")).toBe(false);
    for (const value of [null, undefined, "SshError", 1, {}, Object.create(null)]) {
      expect(isSshError(value)).toBe(false);
    }
  });

  it("recognises errors made by a second copy of the package, where instanceof fails", async () => {
    const copy = await secondCopy();
    const theirs = new copy.HostKeyError("HOST_KEY_UNKNOWN", "No ED25519 host key is known", hostKey);
    expect(theirs).not.toBeInstanceOf(HostKeyError);
    expect(isSshError(theirs)).toBe(true);
    expect(isSshError(theirs, "HostKeyError")).toBe(true);
    expect(isSshError(theirs, "HOST_KEY_UNKNOWN")).toBe(true);
    expect(isSshError(theirs, "SshAuthError")).toBe(false);
    const hop = { index: 0, name: "bastion", host: "10.0.0.1", port: 22 };
    expect(isSshError(new copy.JumpHostError(hop, "jump host bastion is unreachable"), "JumpHostError")).toBe(
      true,
    );
    expect(copy.isSshError(new JumpHostError(hop, "x"), "JUMP_HOST_FAILED")).toBe(true);
  });

  it("narrows to the selected class", () => {
    const error: unknown = new HostKeyError("HOST_KEY_MISMATCH", "changed", hostKey);
    if (isSshError(error, "HostKeyError")) expectTypeOf(error.details.fingerprint).toEqualTypeOf<string>();
    if (isSshError(error, "CONNECT_REFUSED")) expectTypeOf(error.port).toEqualTypeOf<number>();
    if (isSshError(error, "JumpHostError")) expectTypeOf(error.hop.name).toEqualTypeOf<string>();
    if (isSshError(error)) expectTypeOf(error.code).toEqualTypeOf<SshErrorCode>();
  });
});
