import { describe, expect, it } from "vitest";
import { ResponseNotAccepted } from "../../src/errors.js";
import { FailingResponder, Responder, StreamWatcher } from "../../src/watchers.js";

describe("Responder", () => {
  it("answers once per match and consumes what it has seen", () => {
    const responder = new Responder("Password: ", "secret\n");
    expect(responder.feed("Password: ", "stdout")).toEqual(["secret\n"]);
    expect(responder.feed("ok\n", "stdout")).toEqual([]);
    expect(responder.feed("Password: again Password: ", "stdout")).toEqual(["secret\n", "secret\n"]);
  });

  it("finds a pattern split across chunks", () => {
    const responder = new Responder(/Continue\? \[y\/n\] /, "y\n");
    expect(responder.feed("Contin", "stdout")).toEqual([]);
    expect(responder.feed("ue? [y/n] ", "stdout")).toEqual(["y\n"]);
  });

  it("keeps stdout and stderr apart", () => {
    const responder = new Responder("abc", "x");
    expect(responder.feed("ab", "stdout")).toEqual([]);
    expect(responder.feed("c", "stderr")).toEqual([]);
    expect(responder.feed("c", "stdout")).toEqual(["x"]);
  });

  it("string patterns are regular expressions spanning lines (like re.S)", () => {
    expect(new Responder("start.*end", "!").feed("start\nmiddle\nend", "stdout")).toEqual(["!"]);
  });

  it("submit() takes the whole stream, as in Invoke", () => {
    const responder = new Responder("go", "x");
    expect([...responder.submit("go", "stdout")]).toEqual(["x"]);
    expect([...responder.submit("go and wait", "stdout")]).toEqual([]);
    expect([...responder.submit("go and wait go", "stdout")]).toEqual(["x"]);
  });

  it("costs a bounded window per chunk on huge output", () => {
    const responder = new Responder("THE END", "bye\n", { window: 1024 });
    const chunk = "y\n".repeat(32_768);
    let answers = 0;
    for (let i = 0; i < 800; i++) answers += responder.feed(chunk, "stdout").length;
    answers += responder.feed("THE ", "stdout").length + responder.feed("END", "stdout").length;
    expect(answers).toBe(1);
  });
});

describe("FailingResponder", () => {
  it("raises ResponseNotAccepted when the sentinel follows an answer", () => {
    const responder = new FailingResponder("Password: ", "wrong\n", "Sorry, try again.");
    expect(responder.feed("Password: ", "stderr")).toEqual(["wrong\n"]);
    expect(responder.tried).toBe(true);
    expect(() => responder.feed("Sorry, try again.\nPassword: ", "stderr")).toThrow(ResponseNotAccepted);
  });

  it("ignores the sentinel before it has answered", () => {
    const responder = new FailingResponder("Password: ", "pw\n", "Sorry");
    expect(responder.feed("Sorry about that\n", "stdout")).toEqual([]);
    expect(responder.tried).toBe(false);
    expect(responder.feed("Password: ", "stdout")).toEqual(["pw\n"]);
  });

  it("names the pattern and sentinel but not the response", () => {
    const responder = new FailingResponder("P: ", "hunter2\n", "nope");
    responder.feed("P: ", "stdout");
    try {
      responder.feed("nope", "stdout");
      expect.unreachable();
    } catch (error) {
      expect((error as Error).message).toBe(`Auto-response to r"P: " failed with 'nope'!`);
      expect((error as Error).message).not.toContain("hunter2");
    }
  });
});

describe("StreamWatcher", () => {
  it("is a base for custom watchers fed only new text", () => {
    class Counter extends StreamWatcher {
      seen: string[] = [];
      feed(chunk: string): string[] {
        this.seen.push(chunk);
        return [];
      }
    }
    const counter = new Counter();
    counter.submit("ab", "stdout");
    counter.submit("abcd", "stdout");
    expect(counter.seen).toEqual(["ab", "cd"]);
  });
});
