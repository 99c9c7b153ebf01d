import { describe, expect, it } from "vitest";
import {
  AuthFailure,
  CommandTimedOut,
  Exit,
  Failure,
  InvokeError,
  ResponseNotAccepted,
  ThreadException,
  UnexpectedExit,
} from "../../src/errors.js";
import { Result } from "../../src/result.js";

const tenPlus = Array.from({ length: 12 }, (_, i) => `o${i}`).join("\n");

describe("UnexpectedExit", () => {
  it("says 'already printed' for streams that were shown", () => {
    const error = new UnexpectedExit(new Result({ command: "echo visible; exit 2", exited: 2 }));
    expect(error.message).toBe(
      "Encountered a bad command exit code!\n\nCommand: 'echo visible; exit 2'\n\nExit code: 2\n\nStdout: already printed\n\nStderr: already printed\n\n",
    );
    expect(error.code).toBe("UNEXPECTED_EXIT");
    expect(error.name).toBe("UnexpectedExit");
    expect(error).toBeInstanceOf(Failure);
    expect(error).toBeInstanceOf(InvokeError);
    expect(error.repr()).toBe("<UnexpectedExit: cmd='echo visible; exit 2' exited=2>");
  });

  it("shows the last 10 lines of hidden streams", () => {
    const result = new Result({
      command: "x",
      exited: 1,
      stdout: tenPlus,
      stderr: "e\n",
      hide: ["stdout", "stderr"],
    });
    const message = new UnexpectedExit(result).message;
    expect(message).toContain(`Stdout:\n\n${tenPlus.split("\n").slice(2).join("\n")}\n\nStderr:\n\ne\n\n`);
    expect(message).not.toContain("o1\n");
  });

  it("says a pty has no stderr", () => {
    const result = new Result({
      command: "echo ptyfail; exit 1",
      exited: 1,
      stdout: "ptyfail\r\n",
      pty: true,
      hide: ["stdout", "stderr"],
    });
    expect(new UnexpectedExit(result).message).toBe(
      "Encountered a bad command exit code!\n\nCommand: 'echo ptyfail; exit 1'\n\nExit code: 1\n\nStdout:\n\nptyfail\n\nStderr: n/a (PTYs have no stderr)\n\n",
    );
  });
});

describe("other failures", () => {
  it("CommandTimedOut keeps Invoke's message and the timeout", () => {
    const error = new CommandTimedOut(new Result({ command: "sleep 5", exited: -9 }), 1);
    expect(
      error.message.startsWith("Command did not complete within 1 seconds!\n\nCommand: 'sleep 5'\n\nStdout:"),
    ).toBe(true);
    expect(error.timeout).toBe(1);
    expect(error.repr()).toBe("<CommandTimedOut: cmd='sleep 5' timeout=1>");
  });

  it("AuthFailure names the prompt", () => {
    const reason = new ResponseNotAccepted("nope");
    const error = new AuthFailure(new Result({ exited: null }), "[sudo] password: ", reason);
    expect(error.message).toBe("The password submitted to prompt '[sudo] password: ' was rejected.");
    expect(error.reason).toBe(reason);
    expect(error.cause).toBe(reason);
    expect(error.code).toBe("AUTH_FAILURE");
  });

  it("Failure falls back to the Result's text", () => {
    const result = new Result({ exited: null });
    expect(new Failure(result).message).toBe(String(result));
  });

  it("ThreadException lists what failed", () => {
    const error = new ThreadException([{ source: "stdout", error: new RangeError("boom") }]);
    expect(error.message).toContain("Saw 1 exceptions within threads (RangeError):");
    expect(error.message).toContain("Stream: stdout");
    expect(error.exceptions).toHaveLength(1);
  });

  it("Exit defaults its exit code from the message", () => {
    expect(new Exit().exitCode).toBe(0);
    expect(new Exit("bad").exitCode).toBe(1);
    expect(new Exit("bad", 3).exitCode).toBe(3);
    expect(new Exit("bad").code).toBe("EXIT");
  });
});
