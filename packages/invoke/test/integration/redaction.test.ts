// Secrets never reach what `inv` prints: debug lines (`--debug`, INVOKE_DEBUG), error messages and
// stack traces, whether they came from `--set`, an environment variable or a config file.
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, describe, expect, it } from "vitest";
import { REDACTED, SecretRedactor } from "../../src/redactor.js";
import { inv } from "../support/cli-helpers.js";

const here = dirname(fileURLToPath(import.meta.url));
const DIST_INDEX = join(here, "..", "..", "dist", "index.js");
const SECRET = "s3cr3t-Value_42";

/** A project whose task fails with an error quoting the sudo password (as a careless task would). */
const project = mkdtempSync(join(tmpdir(), "inv-redaction-"));
writeFileSync(
  join(project, "tasks.mjs"),
  [
    `import { task } from ${JSON.stringify(DIST_INDEX)};`,
    "export const leak = task({}, async (c) => {",
    // biome-ignore lint/suspicious/noTemplateCurlyInString: the source text of a script run elsewhere
    "  throw new Error(`could not use ${c.config.sudo.password} or ${c.config.get('api_token', '')}`);",
    "});",
    "export const ok = task({}, async () => {});",
  ].join("\n"),
);
afterAll(() => rmSync(project, { recursive: true, force: true }));

function expectNoSecret(run: { stdout: string; stderr: string }): void {
  expect(run.stdout).not.toContain(SECRET);
  expect(run.stderr).not.toContain(SECRET);
}

describe("inv never prints a secret", () => {
  it("--debug --set sudo.password=…: the core parse line shows it redacted", () => {
    const run = inv(["--debug", "--set", `sudo.password=${SECRET}`, "ok"], { cwd: project });
    expect(run.stderr).toContain(`"sudo.password=${REDACTED}"`);
    expectNoSecret(run);
    expect(run.code).toBe(0);
  });

  it("INVOKE_DEBUG=1 with a JSON-typed --set value", () => {
    const run = inv(["--set", `sudo.password="${SECRET}"`, "ok"], {
      cwd: project,
      env: { INVOKE_DEBUG: "1" },
    });
    expect(run.stderr).toContain("core parse:");
    expectNoSecret(run);
  });

  it("a secret from an environment variable, quoted by a failing task's error (with and without --debug)", () => {
    for (const extra of [[], ["--debug"]]) {
      const run = inv([...extra, "leak"], { cwd: project, env: { INVOKE_SUDO_PASSWORD: SECRET } });
      expect(run.code).toBe(1);
      expect(run.stderr).toContain(`could not use ${REDACTED}`);
      expectNoSecret(run);
    }
  });

  it("a user key that looks secret (api_token), set with --set, in an error", () => {
    const run = inv(["--set", `api_token=${SECRET}`, "leak"], { cwd: project });
    expect(run.stderr).toContain(`or ${REDACTED}`);
    expectNoSecret(run);
  });

  it("a malformed --set for a secret key does not echo the value", () => {
    const run = inv(["--set", `sudo..password=${SECRET}`, "ok"], { cwd: project });
    expect(run.code).toBe(1);
    expect(run.stderr).toContain("sudo..password=<hidden>");
    expectNoSecret(run);
  });
});

describe("SecretRedactor", () => {
  it("scrubs plain and JSON-escaped forms, longest secret first", () => {
    const redactor = new SecretRedactor();
    redactor.add('pa"ss');
    redactor.add("abc");
    redactor.add("abcdef");
    redactor.add("");
    expect(redactor.redact('x abcdef y abc z pa"ss')).toBe(`x ${REDACTED} y ${REDACTED} z ${REDACTED}`);
    expect(redactor.redact(JSON.stringify({ v: 'pa"ss' }))).toBe(`{"v":"${REDACTED}"}`);
  });

  it("takes secret-looking --set values, nested JSON included, and ignores other keys", () => {
    const redactor = new SecretRedactor();
    redactor.addFromSetArgument('connect_kwargs.passphrase={"a":["deep1"]}');
    redactor.addFromSetArgument("run.echo=visible");
    expect(redactor.redact("deep1 visible")).toBe(`${REDACTED} visible`);
  });

  it("collects every value under a secret key of a config", () => {
    const redactor = new SecretRedactor();
    redactor.addFromConfig({
      data: { sudo: { password: "one" }, connectKwargs: { passphrase: "two" }, deploy: { token: 3 } },
    } as never);
    expect(redactor.redact("one two 3 four")).toBe(`${REDACTED} ${REDACTED} ${REDACTED} four`);
  });
});
