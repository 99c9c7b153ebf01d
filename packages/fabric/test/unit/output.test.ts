import { PassThrough, Writable } from "node:stream";
import { describe, expect, it } from "vitest";
import { colorEnabled, hostColor } from "../../src/output/color.js";
import { JsonEvents } from "../../src/output/events.js";
import { hostStreams } from "../../src/output/host-output.js";
import { LineWriter } from "../../src/output/line-writer.js";
import { renderSummary, totalsLine } from "../../src/output/summary.js";

/** A target that records every write() call separately. */
function recorder(): NodeJS.WritableStream & { writes: string[]; text(): string } {
  const writes: string[] = [];
  const stream = new Writable({
    write(chunk, _enc, done) {
      writes.push(String(chunk));
      done();
    },
  });
  return Object.assign(stream, { writes, text: () => writes.join("") });
}

function write(stream: NodeJS.WritableStream, chunk: string | Buffer): Promise<void> {
  return new Promise((resolve) => stream.write(chunk, () => resolve()));
}

describe("LineWriter", () => {
  it("writes only whole lines, each formatted, holding a partial line until its end arrives", async () => {
    const target = recorder();
    const writer = new LineWriter({ target, format: (line) => `[a] ${line}\n` });
    await write(writer, "one\ntw");
    expect(target.text()).toBe("[a] one\n");
    await write(writer, "o\nthree");
    expect(target.text()).toBe("[a] one\n[a] two\n");
    writer.flush();
    expect(target.text()).toBe("[a] one\n[a] two\n[a] three\n");
    // Every write() carried complete lines only.
    for (const chunk of target.writes) expect(chunk.endsWith("\n")).toBe(true);
  });

  it("treats \\r\\n as one line end and keeps multibyte characters split across chunks intact", async () => {
    const target = recorder();
    const writer = new LineWriter({ target, format: (line) => `<${line}>` });
    const bytes = Buffer.from("héllo\r\nwörld\n");
    await write(writer, bytes.subarray(0, 2)); // splits the two bytes of "é"
    await write(writer, bytes.subarray(2));
    expect(target.text()).toBe("<héllo><wörld>");
  });

  it("flushes the last partial line when the stream ends", async () => {
    const target = recorder();
    const writer = new LineWriter({ target, format: (line) => `${line}|` });
    writer.end("no newline");
    await new Promise((resolve) => writer.on("finish", resolve));
    expect(target.text()).toBe("no newline|");
  });

  it("cuts an endless line into bounded pieces", async () => {
    const target = recorder();
    const writer = new LineWriter({ target, format: (line) => `${line}\n`, maxLineLength: 4 });
    await write(writer, "abcdefghij");
    expect(target.text()).toBe("abcd\nefgh\n");
    writer.flush();
    expect(target.text()).toBe("abcd\nefgh\nij\n");
  });

  it("keeps two writers sharing a target from interleaving mid-line", async () => {
    const target = recorder();
    const a = new LineWriter({ target, format: (line) => `[a] ${line}\n` });
    const b = new LineWriter({ target, format: (line) => `[b] ${line}\n` });
    await write(a, "aaa-start ");
    await write(b, "bbb-start ");
    await write(a, "aaa-end\n");
    await write(b, "bbb-end\n");
    expect(target.text()).toBe("[a] aaa-start aaa-end\n[b] bbb-start bbb-end\n");
  });
});

describe("colorEnabled", () => {
  const tty = { isTTY: true };
  const pipe = { isTTY: false };
  it("colours a terminal only", () => {
    expect(colorEnabled(tty, {})).toBe(true);
    expect(colorEnabled(pipe, {})).toBe(false);
    expect(colorEnabled(tty, { TERM: "dumb" })).toBe(false);
  });
  it("honours NO_COLOR (non-empty) over everything, and FORCE_COLOR otherwise", () => {
    expect(colorEnabled(tty, { NO_COLOR: "1" })).toBe(false);
    expect(colorEnabled(tty, { NO_COLOR: "1", FORCE_COLOR: "1" })).toBe(false);
    expect(colorEnabled(tty, { NO_COLOR: "" })).toBe(true);
    expect(colorEnabled(pipe, { FORCE_COLOR: "1" })).toBe(true);
    expect(colorEnabled(tty, { FORCE_COLOR: "0" })).toBe(false);
  });
  it("gives neighbouring hosts different colours", () => {
    expect(hostColor(0)).not.toBe(hostColor(1));
    expect(hostColor(0)).toBe(hostColor(10));
  });
});

describe("hostStreams", () => {
  it("prefixes stdout and stderr lines with the host, without colour on a pipe", async () => {
    const stdout = recorder();
    const stderr = recorder();
    const streams = hostStreams("web1", 0, { mode: "prefixed", stdout, stderr, color: false })!;
    await write(streams.out, "up 3 days\n");
    await write(streams.err, "warning");
    streams.flush();
    expect(stdout.text()).toBe("[web1] up 3 days\n");
    expect(stderr.text()).toBe("[web1] warning\n");
  });

  it("colours the label when colour is on", async () => {
    const stdout = recorder();
    const streams = hostStreams("web2", 1, { mode: "prefixed", stdout, stderr: recorder(), color: true })!;
    await write(streams.out, "x\n");
    expect(stdout.text()).toBe(`\u001b[${hostColor(1)}m[web2]\u001b[0m x\n`);
  });

  it("turns lines into stdout/stderr events in json mode and is absent in plain mode", async () => {
    const sink = recorder();
    const events = new JsonEvents(sink);
    const streams = hostStreams("db", 0, { mode: "json", events })!;
    await write(streams.out, "a\nb\n");
    await write(streams.err, "oops\n");
    const parsed = sink.writes
      .join("")
      .trim()
      .split("\n")
      .map((line) => JSON.parse(line));
    expect(parsed).toEqual([
      { schema: 1, event: "stdout", host: "db", line: "a" },
      { schema: 1, event: "stdout", host: "db", line: "b" },
      { schema: 1, event: "stderr", host: "db", line: "oops" },
    ]);
    expect(hostStreams("db", 0, { mode: "plain" })).toBeUndefined();
  });
});

describe("JsonEvents", () => {
  it("never writes a registered secret", () => {
    const sink = new PassThrough();
    const events = new JsonEvents(sink, ["hunter2", null, ""]);
    events.emit({ event: "stdout", host: "h", line: "password is hunter2!" });
    events.emit({ event: "error", message: "auth with hunter2 failed" });
    const text = String(sink.read());
    expect(text).not.toContain("hunter2");
    expect(text).toContain("password is ****!");
  });
});

describe("renderSummary", () => {
  it("lists host, status, exit code and duration per host, then the totals", () => {
    const text = renderSummary([
      { host: "web1", status: "ok", exitCode: 0, durationMs: 210 },
      { host: "web2-long", status: "failed", exitCode: 3, durationMs: 1500, error: "exited 3" },
      { host: "web3", status: "skipped", exitCode: null, durationMs: null },
    ]);
    expect(text).toBe(
      [
        "HOST       STATUS   EXIT  DURATION",
        "web1       ok          0     0.21s",
        "web2-long  failed      3     1.50s",
        "web3       skipped     -         -",
        "1 ok, 1 failed, 1 skipped",
        "",
      ].join("\n"),
    );
  });

  it("adds colour only when asked", () => {
    const rows = [{ host: "a", status: "failed" as const, exitCode: 1, durationMs: 5 }];
    expect(renderSummary(rows)).not.toContain("\u001b[");
    expect(renderSummary(rows, { color: true })).toContain("\u001b[31mfailed\u001b[0m");
    expect(totalsLine([])).toBe("no hosts");
  });
});
