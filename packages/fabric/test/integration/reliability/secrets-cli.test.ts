// `fab` never prints a secret, whichever way it came in (`--set`, environment variable, config) and
// whichever way it would go out (`--debug`/INVOKE_DEBUG lines, `--json` events, errors, the
// end-of-run summary). Hosts are unreachable on purpose: nothing here needs a server.
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runFab } from "../../support/fab-process.js";

const here = dirname(fileURLToPath(import.meta.url));
const SOURCE_INDEX = join(here, "..", "..", "..", "src", "index.ts");
const SECRET = "Fab-s3cret_9917";
const NOWHERE = "nobody@127.0.0.1:1";

function expectNoSecret(run: { stdout: string; stderr: string }): void {
  expect(run.stdout).not.toContain(SECRET);
  expect(run.stderr).not.toContain(SECRET);
}

describe("fab never prints a secret", () => {
  let project: string;
  beforeAll(async () => {
    project = await mkdtemp(join(tmpdir(), "fab-redaction-"));
    // A careless task whose error quotes the sudo password.
    await writeFile(
      join(project, "fabfile.ts"),
      [
        `import { task } from ${JSON.stringify(SOURCE_INDEX)};`,
        "export const leak = task({}, async (c) => {",
        // biome-ignore lint/suspicious/noTemplateCurlyInString: the source text of a script run elsewhere
        "  throw new Error(`refused ${c.config.sudo.password}`);",
        "});",
      ].join("\n"),
    );
  });
  afterAll(async () => {
    await rm(project, { recursive: true, force: true });
  });

  it.each([
    ["--debug --set sudo.password", ["--debug", "--set", `sudo.password=${SECRET}`], {}],
    ["INVOKE_DEBUG=1 --set sudo.password", ["--set", `sudo.password=${SECRET}`], { INVOKE_DEBUG: "1" }],
    [
      "--debug --json --set connect_kwargs.passphrase",
      ["--debug", "--json", "--set", `connect_kwargs.passphrase=${SECRET}`],
      {},
    ],
    [
      "--json --set connect_kwargs.password (INVOKE_DEBUG)",
      ["--json", "--set", `connect_kwargs.password=${SECRET}`],
      { INVOKE_DEBUG: "1" },
    ],
  ] as const)(
    "%s: redacted in every line",
    async (_name, flags, env) => {
      const run = await runFab([...flags, "-H", NOWHERE, "--", "true"], { env: { ...env } });
      expect(run.code).toBe(1);
      expect(run.stderr).toContain("core parse:");
      expect(`${run.stdout}${run.stderr}`).toContain("****");
      expectNoSecret(run);
    },
    120_000,
  );

  it("an environment variable's secret quoted by a task error: not in the error, the summary or --json events", async () => {
    const hosts = `${NOWHERE},nobody@127.0.0.2:1`;
    for (const extra of [[], ["--json"], ["--debug"]]) {
      const run = await runFab([...extra, "-H", hosts, "leak"], {
        cwd: project,
        env: { FABRIC_SUDO_PASSWORD: SECRET },
      });
      expect(run.code).not.toBe(0);
      expect(`${run.stdout}${run.stderr}`).toContain("refused ****");
      expectNoSecret(run);
    }
  }, 180_000);
});
