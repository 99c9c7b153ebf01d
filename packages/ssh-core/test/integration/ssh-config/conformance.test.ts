/**
 * Conformance: for every corpus case, `ssh -G` (the real OpenSSH client on this machine) and our
 * `ssh-config-resolve -G` must print the same lines, the same stderr messages and the same exit
 * status. The DESIGN §4 keys are also compared on their own so a failure names them first.
 */
import { spawnSync } from "node:child_process";
import { rmSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { runSshConfigResolve } from "../../../src/ssh-config/cli.js";
import { loadCorpus, materialise } from "../../support/ssh-config-corpus.js";

const sshVersion = spawnSync("ssh", ["-V"], { encoding: "utf8" });
const haveSsh = sshVersion.error === undefined;

/** Keys whose values the SSH client and Connection rely on (DESIGN §4). */
const DESIGN_KEYS = new Set([
  "hostname",
  "user",
  "port",
  "identityfile",
  "identitiesonly",
  "certificatefile",
  "proxyjump",
  "proxycommand",
  "forwardagent",
  "connecttimeout",
  "connectionattempts",
  "serveraliveinterval",
  "serveralivecountmax",
  "stricthostkeychecking",
  "userknownhostsfile",
  "globalknownhostsfile",
  "hostkeyalias",
  "setenv",
  "sendenv",
  "compression",
  "ciphers",
  "kexalgorithms",
  "macs",
  "hostkeyalgorithms",
  "localforward",
  "remoteforward",
  "dynamicforward",
]);

const PSEUDO_TTY = "Pseudo-terminal will not be allocated because stdin is not a terminal.";

function lines(text: string): string[] {
  return text
    .split("\n")
    .map((line) => line.replace(/\r$/, ""))
    .filter((line) => line !== "" && line !== PSEUDO_TTY);
}

const corpus = loadCorpus();

describe("ssh -G conformance corpus", () => {
  it("has at least 100 cases", () => {
    expect(corpus.length).toBeGreaterThanOrEqual(100);
  });

  it("runs against a real OpenSSH client", () => {
    // Fails (rather than skips) on machines without ssh: the corpus would prove nothing there.
    expect(haveSsh, "ssh must be installed to run the conformance corpus").toBe(true);
    expect(sshVersion.stderr).toMatch(/^OpenSSH_/);
  });

  for (const testCase of corpus) {
    it(testCase.name, () => {
      const { home, args } = materialise(testCase);
      try {
        const env = { ...process.env, HOME: home, ...testCase.env };
        const real = spawnSync("ssh", args, { env, encoding: "utf8", stdio: ["ignore", "pipe", "pipe"] });
        let stdout = "";
        let stderr = "";
        const status = runSshConfigResolve(args, {
          stdout: (text) => {
            stdout += text;
          },
          stderr: (text) => {
            stderr += text;
          },
          resolve: { env, cwd: home },
        });
        const expected = lines(real.stdout);
        const actual = lines(stdout);
        const design = (all: string[]) => all.filter((line) => DESIGN_KEYS.has(line.split(" ")[0]!));
        expect(design(actual), "DESIGN §4 keys").toEqual(design(expected));
        expect(actual, "full ssh -G output").toEqual(expected);
        expect(lines(stderr), "stderr").toEqual(lines(real.stderr));
        expect(status, "exit status").toBe(real.status);
      } finally {
        rmSync(home, { recursive: true, force: true });
      }
    });
  }
});
