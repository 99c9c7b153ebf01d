import { existsSync } from "node:fs";
import { PassThrough } from "node:stream";
import { fileURLToPath, pathToFileURL } from "node:url";
import { Result, SpawnError, UnexpectedExit } from "@fabric-ts/invoke";
import { ConnectionLostError, JumpHostError, SshAbortError, SshConfigError } from "@fabric-ts/ssh-core";
import { describe, expect, expectTypeOf, it } from "vitest";
import { gatewayError } from "../../src/connection/gateway-error.js";
import {
  ConnectionSpecError,
  type FabricErrorClasses,
  type FabricErrorCode,
  type GroupException,
  HostSkipped,
  HostsFailed,
  InvalidAnswer,
  InventoryError,
  isFabricError,
  isTransportError,
  isUnreachableError,
  MockExpectationError,
  NoHostsMatched,
  NoInventory,
  NothingToDo,
  PatternError,
  RebootFailed,
  TransferError,
  UnexpectedHost,
  ValidationFailed,
} from "../../src/errors/index.js";
import { outcomeOf } from "../../src/group/outcome.js";
import { Fab } from "../../src/program/fab.js";
import { transportError } from "../../src/runners/transport-error.js";

// Built bundles are second copies of each package: their classes are not the ones imported above.
async function bundle<T>(pkg: "fabric" | "invoke" | "ssh-core", entry: string): Promise<T> {
  const file = fileURLToPath(new URL(`../../../${pkg}/dist/bundle/${entry}`, import.meta.url));
  if (!existsSync(file)) throw new Error(`build @fabric-ts/${pkg} first: ${file} is missing`);
  return (await import(pathToFileURL(file).href)) as T;
}
const fabricCopy = () => bundle<typeof import("../../src/index.js")>("fabric", "index.js");
const invokeCopy = () => bundle<typeof import("@fabric-ts/invoke")>("invoke", "index.js");
const sshCopy = () => bundle<typeof import("@fabric-ts/ssh-core/errors")>("ssh-core", "errors.js");

/** `fab`'s error report: what it prints on stderr and the exit code. */
function fabReport(error: unknown): { stderr: string; exitCode: number } {
  const stderr = new PassThrough();
  let text = "";
  stderr.on("data", (chunk: Buffer) => {
    text += chunk.toString();
  });
  const fab = new (class extends Fab {
    report(e: unknown): number {
      return this.handleError(e);
    }
  })({ stderr });
  const exitCode = fab.report(error);
  return { stderr: text, exitCode };
}

const exit3 = () => new UnexpectedExit(new Result({ command: "exit 3", exited: 3 }));

describe("isFabricError", () => {
  it("selects by class name (subclasses included) or by code", () => {
    const pattern = new PatternError("Invalid host list pattern: ~(");
    expect(isFabricError(pattern)).toBe(true);
    expect(isFabricError(pattern, "PatternError")).toBe(true);
    expect(isFabricError(pattern, "InventoryError")).toBe(true);
    expect(isFabricError(pattern, "INVENTORY_ERROR")).toBe(true);
    expect(isFabricError(pattern, "NoInventory")).toBe(false);
    expect(isFabricError(new NothingToDo(), "NOTHING_TO_DO")).toBe(true);
    expect(isFabricError(new NothingToDo(), "HostsFailed")).toBe(false);
    expect(isFabricError(exit3())).toBe(false);
  });

  it("every fabric error sits under FabricError with its documented code, name and message", () => {
    const failed = new HostsFailed([], [{ host: "web1", error: exit3() }]);
    const cases: [keyof FabricErrorClasses, Error, FabricErrorCode][] = [
      ["ConnectionSpecError", new ConnectionSpecError("x"), "INVALID_CONNECTION_SPEC"],
      ["TransferError", new TransferError("x"), "INVALID_TRANSFER"],
      ["ValidationFailed", new ValidationFailed("x", 1, ""), "VALIDATION_FAILED"],
      ["InvalidAnswer", new InvalidAnswer("x"), "INVALID_ANSWER"],
      ["RebootFailed", new RebootFailed("x"), "REBOOT_FAILED"],
      ["InventoryError", new InventoryError("bad", { file: "hosts.ini", line: 3 }), "INVENTORY_ERROR"],
      ["NoInventory", new NoInventory("--limit"), "NO_INVENTORY"],
      ["NoHostsMatched", new NoHostsMatched("web*", undefined), "NO_HOSTS_MATCHED"],
      ["HostSkipped", new HostSkipped("web2", "fail-fast"), "HOST_SKIPPED"],
      ["NothingToDo", new NothingToDo(), "NOTHING_TO_DO"],
      ["HostsFailed", failed, "HOSTS_FAILED"],
      ["UnexpectedHost", new UnexpectedHost("db", []), "UNEXPECTED_HOST"],
      ["MockExpectationError", new MockExpectationError("x"), "MOCK_EXPECTATION_FAILED"],
    ];
    for (const [name, error, code] of cases) {
      expect([name, (error as { code?: unknown }).code, error.name]).toEqual([name, code, name]);
      expect(isFabricError(error, "FabricError")).toBe(true);
      expect(isFabricError(error, name)).toBe(true);
      expect(isFabricError(error, code)).toBe(true);
    }
    expect(new InventoryError("bad", { file: "hosts.ini", line: 3 }).message).toBe("hosts.ini:3: bad");
    expect(new HostSkipped("web2", "fail-fast").message).toBe("web2: skipped (fail-fast)");
    expect(failed.message).toBe('1 of 0 hosts failed:\n  web1: UnexpectedExit: "exit 3" exited 3');
    expect(failed.exitCode).toBe(3);
  });

  it("rejects look-alikes: a plain Error named and coded like a fabric error is not one", () => {
    const fake = Object.assign(new Error("1 of 1 hosts failed"), {
      name: "HostsFailed",
      code: "HOSTS_FAILED",
      exitCode: 7,
    });
    expect(isFabricError(fake)).toBe(false);
    expect(isFabricError(fake, "HostsFailed")).toBe(false);
    expect(isFabricError(fake, "HOSTS_FAILED")).toBe(false);
  });

  it("narrows to the selected class", () => {
    const error: unknown = new NothingToDo();
    if (isFabricError(error, "HostsFailed")) expectTypeOf(error.exitCode).toEqualTypeOf<number>();
    if (isFabricError(error, "INVENTORY_ERROR")) expectTypeOf(error.file).toEqualTypeOf<string | undefined>();
    if (isFabricError(error, "GroupException")) expectTypeOf(error).toEqualTypeOf<GroupException>();
  });
});

describe("errors from a second copy of each package", () => {
  it("isFabricError recognises a HostsFailed made by another copy of fabric; instanceof does not", async () => {
    const copy = await fabricCopy();
    const theirs = new copy.HostsFailed([], [{ host: "web1", error: exit3() }]);
    expect(theirs).not.toBeInstanceOf(HostsFailed);
    expect(isFabricError(theirs, "HostsFailed")).toBe(true);
    expect(copy.isFabricError(new HostsFailed([], []), "HOSTS_FAILED")).toBe(true);
  });

  it("fab reports them with the same message and exit code as its own; a look-alike is not one", async () => {
    const copy = await fabricCopy();
    const invoke = await invokeCopy();
    const theirExit = new invoke.UnexpectedExit(new invoke.Result({ command: "exit 3", exited: 3 }));
    const theirs = new copy.HostsFailed([], [{ host: "web1", error: theirExit }]);
    expect(theirs.exitCode).toBe(3);
    expect(fabReport(theirs)).toEqual(fabReport(new HostsFailed([], [{ host: "web1", error: exit3() }])));
    expect(fabReport(theirs)).toEqual({
      stderr: '1 of 0 hosts failed:\n  web1: UnexpectedExit: "exit 3" exited 3\n',
      exitCode: 3,
    });
    expect(fabReport(new copy.NothingToDo())).toEqual({
      stderr: "Was told to run a command, but not given any hosts to run it on!\n",
      exitCode: 1,
    });
    const inventory = await bundle<typeof import("../../src/inventory/index.js")>(
      "fabric",
      "inventory/index.js",
    );
    expect(fabReport(new inventory.InventoryError("bad line", { file: "hosts.ini", line: 2 }))).toEqual({
      stderr: "hosts.ini:2: bad line\n",
      exitCode: 1,
    });
    const fake = Object.assign(new Error("boom"), { name: "HostsFailed", exitCode: 7 });
    expect(fabReport(fake)).toEqual({
      stderr: "HostsFailed: boom\n(run with --debug for a stack trace)\n",
      exitCode: 1,
    });
  });

  it("a host's outcome is classified the same whichever copy made its error", async () => {
    const invoke = await invokeCopy();
    const ssh = await sshCopy();
    const theirExit = new invoke.UnexpectedExit(new invoke.Result({ command: "exit 3", exited: 3 }));
    expect(outcomeOf("web1", theirExit, 5)).toEqual(outcomeOf("web1", exit3(), 5));
    expect(outcomeOf("web1", theirExit, 5)).toMatchObject({ status: "failed", exitCode: 3 });
    const timedOut = new invoke.CommandTimedOut(new invoke.Result({ command: "sleep 9", exited: -1 }), 1);
    expect(outcomeOf("web1", timedOut, 5).status).toBe("timedout");
    const lost = new ssh.ConnectionLostError("Connection to 127.0.0.1:22 lost");
    expect(outcomeOf("web1", lost, 5).status).toBe("unreachable");
    const refused = new ssh.SshConnectError("CONNECT_REFUSED", "127.0.0.1", 22, "refused");
    expect(outcomeOf("web1", refused, 5).status).toBe("unreachable");
    const hostKey = new ssh.HostKeyError("HOST_KEY_MISMATCH", "changed", {
      hostName: "h",
      keyType: "ssh-ed25519",
      fingerprint: "SHA256:x",
    });
    expect(outcomeOf("web1", hostKey, 5).status).toBe("error");
    // One classification: the unreachable status is isUnreachableError, as for skipUnreachable.
    const jump = new ssh.JumpHostError({ index: 0, name: "bastion", host: "10.0.0.1", port: 22 }, "down");
    expect(outcomeOf("web1", jump, 5).status).toBe("unreachable");
    expect(outcomeOf("web1", new ssh.NotConnectedError(), 5).status).toBe("error");
    expect(outcomeOf("web1", new ssh.SshAuthError("u", "h", 22, []), 5).status).toBe("error");
    // Look-alikes named like invoke / ssh-core errors are plain errors.
    const fake = Object.assign(new Error("x"), { name: "UnexpectedExit", result: { exited: 3 } });
    expect(outcomeOf("web1", fake, 5)).toMatchObject({
      status: "error",
      exitCode: null,
      error: "UnexpectedExit: x",
    });
    const fakeLost = Object.assign(new Error("gone"), {
      name: "ConnectionLostError",
      code: "CONNECTION_LOST",
    });
    expect(outcomeOf("web1", fakeLost, 5).status).toBe("error");
    expect(isUnreachableError(fakeLost)).toBe(false);
  });

  it("a runner's SpawnError is unwrapped to the SSH transport error behind it, from any copy", async () => {
    const invoke = await invokeCopy();
    const ssh = await sshCopy();
    const lost = new ssh.ConnectionLostError("lost");
    const partial = new Result({ command: "tail -f log", exited: null, stdout: "line 1\n" });
    const unwrapped = transportError(new invoke.SpawnError("failed", { cause: lost, result: partial }));
    expect(isTransportError(unwrapped)).toBe(true);
    expect((unwrapped as { code?: unknown }).code).toBe("CONNECTION_LOST");
    expect((unwrapped as { result?: unknown }).result).toBe(partial);
    // Not transport failures: an abort, a bad ssh_config, or a look-alike stay wrapped.
    for (const cause of [
      new SshAbortError(),
      new SshConfigError("BAD_TOKEN", "bad token"),
      Object.assign(new Error("lost"), { name: "ConnectionLostError", code: "CONNECTION_LOST" }),
    ]) {
      const wrapped = new SpawnError("failed", { cause });
      expect(transportError(wrapped)).toBe(wrapped);
    }
    expect(transportError(new ConnectionLostError("x"))).toBeInstanceOf(ConnectionLostError);
  });

  it("a gateway failure that already names a jump host passes through, from any copy", async () => {
    const ssh = await sshCopy();
    const gateway = { originalHost: "bastion", host: "10.0.0.1", port: 22, user: "deploy" };
    const target = { host: "db", port: 22 };
    const deeper = new ssh.JumpHostError(
      { index: 1, name: "inner", host: "10.0.0.2", port: 22 },
      "inner down",
    );
    expect(gatewayError(JumpHostError, gateway, target, "connect", deeper)).toBe(deeper);
    const fake = Object.assign(new Error("inner down"), { name: "JumpHostError" });
    const wrapped = gatewayError(JumpHostError, gateway, target, "connect", fake);
    expect(wrapped).toBeInstanceOf(JumpHostError);
    expect((wrapped as Error).message).toBe(
      "Gateway bastion (deploy@10.0.0.1:22) is unreachable: inner down",
    );
  });
});
