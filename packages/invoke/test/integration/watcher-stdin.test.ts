// A watcher's answer reaches the command even when this process's stdin is at end of file
// (`< /dev/null`, cron, CI): the command's stdin stays open for watchers.
import { spawnSync } from "node:child_process";
import { dirname, join } from "node:path";
import { Readable } from "node:stream";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { Context } from "../../src/context.js";
import { Responder } from "../../src/watchers.js";

const here = dirname(fileURLToPath(import.meta.url));
const DIST_INDEX = join(here, "..", "..", "dist", "index.js");
const PROMPT = "printf 'Continue? '; read answer; echo \"got=$answer\"";

describe("watchers answer whatever the input stream is", () => {
  it("inStream already at EOF: the Responder's answer is read by the command", async () => {
    const result = await new Context().run(PROMPT, {
      hide: true,
      inStream: Readable.from([]),
      watchers: [new Responder("Continue\\? ", "yes\n")],
    });
    expect(result.stdout).toBe("Continue? got=yes\n");
  });

  it("input data is still copied first, then the watcher answers", async () => {
    const result = await new Context().run(`read first; echo "first=$first"; ${PROMPT}`, {
      hide: true,
      inStream: Readable.from(["piped\n"]),
      watchers: [new Responder("Continue\\? ", "yes\n")],
    });
    expect(result.stdout).toBe("first=piped\nContinue? got=yes\n");
  });

  it("without watchers, EOF on the input still closes the command's stdin", async () => {
    const result = await new Context().run("cat; echo end", { hide: true, inStream: Readable.from(["x\n"]) });
    expect(result.stdout).toBe("x\nend\n");
  });

  it("a process whose stdin is /dev/null (default inStream = process.stdin): the answer arrives", () => {
    const script = [
      `import { Context, Responder } from ${JSON.stringify(DIST_INDEX)};`,
      `const r = await new Context().run(${JSON.stringify(PROMPT)}, { hide: true, watchers: [new Responder("Continue\\\\? ", "yes\\n")] });`,
      "process.stdout.write(r.stdout);",
    ].join("\n");
    const child = spawnSync(process.execPath, ["--input-type=module", "-e", script], {
      stdio: ["ignore", "pipe", "pipe"],
      encoding: "utf8",
      timeout: 60_000,
    });
    expect(child.stderr).toBe("");
    expect(child.stdout).toBe("Continue? got=yes\n");
    expect(child.status).toBe(0);
  });
});
