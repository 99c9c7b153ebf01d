// How FabricExecutor expands task calls per host (no network: nothing is executed).
import { Call, Collection } from "@fabric-ts/invoke";
import { describe, expect, it } from "vitest";
import { FabricConfig } from "../../src/config/fabric-config.js";
import { HostsFailed, NothingToDo } from "../../src/errors/index.js";
import { FabricExecutor } from "../../src/executor.js";
import { ConnectionCall } from "../../src/tasks/connection-call.js";
import { parseHostsFlag } from "../../src/tasks/host-spec.js";
import { task } from "../../src/tasks/task.js";

const clean = task({ name: "clean" }, async () => {});
const notify = task({ name: "notify" }, async () => {});
const t1 = task({ name: "t1", pre: [clean], post: [notify] }, async () => {});
const t2 = task({ name: "t2" }, async () => {});
const pinned = task({ name: "pinned", hosts: ["web1", { host: "web2", port: 2222 }] }, async () => {});

function plan(specs: string[], options: ConstructorParameters<typeof FabricExecutor>[3] = {}): string[] {
  const config = new FabricConfig({ lazy: true, env: {} });
  const executor = new FabricExecutor(
    new Collection({ clean, notify, t1, t2, pinned }),
    config,
    undefined,
    options,
  );
  const calls = executor.expandCalls(executor.normalize(specs));
  return (config.tasks.dedupe ? executor.dedupe(calls) : calls).map((call) =>
    call instanceof ConnectionCall
      ? `${call.task.name}@${call.host.host}${call.host.port ? `:${call.host.port}` : ""}`
      : `${call.task.name}`,
  );
}

describe("FabricExecutor call expansion", () => {
  it("runs each task on every -H host in turn; pre/post once, without a host (Fabric's order)", () => {
    expect(plan(["t1", "t2"], { hosts: ["a", "u@b:2200"] })).toEqual([
      "clean",
      "t1@a",
      "t1@u@b:2200",
      "notify",
      "t2@a",
      "t2@u@b:2200",
    ]);
  });

  it("uses a task's own hosts (strings or Connection options), and -H replaces them", () => {
    expect(plan(["pinned"])).toEqual(["pinned@web1", "pinned@web2:2222"]);
    expect(plan(["pinned"], { hosts: ["db1"] })).toEqual(["pinned@db1"]);
  });

  it("runs host-less tasks once with no host", () => {
    expect(plan(["t2"])).toEqual(["t2"]);
  });

  it("dedupes the same task on the same host, but never across hosts", () => {
    expect(plan(["t2", "t2"], { hosts: ["a", "b", "a"] })).toEqual(["t2@a", "t2@b"]);
  });

  it("parses -H: commas, blanks ignored, empty entries dropped", () => {
    expect(parseHostsFlag(" web1, deploy@web2:2222 ,,web3 ")).toEqual(["web1", "deploy@web2:2222", "web3"]);
    expect(parseHostsFlag(undefined)).toEqual([]);
  });

  it("a remainder without hosts is NothingToDo", async () => {
    const executor = new FabricExecutor(
      new Collection(),
      new FabricConfig({ lazy: true, env: {} }),
      undefined,
      {
        remainder: "uname -a",
      },
    );
    await expect(executor.execute()).rejects.toBeInstanceOf(NothingToDo);
  });

  it("labels host calls with their host", () => {
    const [call] = new FabricExecutor(
      new Collection({ t2 }),
      new FabricConfig({ lazy: true, env: {} }),
      undefined,
      {
        hosts: ["deploy@h:2200"],
      },
    ).expandCalls([new Call(t2, { calledAs: "t2" })]);
    expect(String(call)).toBe(`<Call 't2', args: {}, host='deploy@h:2200'>`);
  });
});

describe("HostsFailed", () => {
  it("counts failures against every host given, and says how many were not run", () => {
    const error = new HostsFailed(
      [
        { host: "web1", status: "ok", exitCode: 0, durationMs: 5 },
        { host: "web2", status: "error", exitCode: null, durationMs: 5, error: "boom" },
        { host: "web3", status: "skipped", exitCode: null, durationMs: null },
      ],
      [{ host: "web2", error: new Error("boom") }],
    );
    expect(error.message).toBe("1 of 3 hosts failed:\n  web2: Error: boom\n  (1 not run after the failure)");
    expect(error.exitCode).toBe(1);
  });
});
