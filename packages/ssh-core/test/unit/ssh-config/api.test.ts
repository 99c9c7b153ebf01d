// biome-ignore-all lint/suspicious/noTemplateCurlyInString: these strings are ssh_config text, where ${VAR} is literal syntax.
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { runSshConfigResolve } from "../../../src/ssh-config/cli.js";
import { resolveSshConfig, resolveSshConfigSync, SshConfigError } from "../../../src/ssh-config/index.js";

function configFile(text: string): string {
  const dir = mkdtempSync(join(tmpdir(), "sshcfg-api-"));
  const path = join(dir, "config");
  writeFileSync(path, text, { mode: 0o644 });
  return path;
}

describe("resolveSshConfig", () => {
  const file = configFile(
    [
      "Host alias",
      "  Hostname real.example.com",
      "  User sshuser",
      "  Port 2200",
      "  ForwardAgent yes",
      "  ConnectTimeout 7",
      "  IdentityFile ~/.ssh/id_alias",
      "  ProxyJump jumpuser@jump1:2201,jump2",
      "  SendEnv LANG",
      "  SetEnv A=1",
      "Host *",
      "  IdentityFile ~/.ssh/id_all",
      "  StrictHostKeyChecking accept-new",
      "  ServerAliveInterval 30",
      "",
    ].join("\n"),
  );

  it("exposes typed getters over the ssh -G values", async () => {
    const r = await resolveSshConfig({
      host: "alias",
      configFile: file,
      localUser: "me",
      homeDir: "/home/me",
    });
    expect(r.hostname).toBe("real.example.com");
    expect(r.originalHost).toBe("alias");
    expect(r.user).toBe("sshuser");
    expect(r.port).toBe(2200);
    expect(r.forwardAgent).toBe(true);
    expect(r.connectTimeout).toBe(7);
    expect(r.identityFiles).toEqual(["~/.ssh/id_alias", "~/.ssh/id_all"]);
    expect(r.proxyJump).toBe("jumpuser@jump1:2201,jump2");
    expect(r.proxyJumpHops).toEqual([{ user: "jumpuser", host: "jump1", port: 2201 }, { host: "jump2" }]);
    expect(r.proxyCommand).toBeNull();
    expect(r.strictHostKeyChecking).toBe("accept-new");
    expect(r.serverAliveInterval).toBe(30);
    expect(r.sendEnv).toEqual(["LANG"]);
    expect(r.setEnv).toEqual(["A=1"]);
    expect(r.userKnownHostsFiles).toEqual(["/home/me/.ssh/known_hosts", "/home/me/.ssh/known_hosts2"]);
    expect(r.options.get("identityfile")).toEqual(["~/.ssh/id_alias", "~/.ssh/id_all"]);
  });

  it("explains which file and line set each value", () => {
    const r = resolveSshConfigSync({ host: "alias", configFile: file });
    const explain = r.explain();
    expect(explain.find((e) => e.key === "port")).toEqual({ key: "port", value: "2200", file, line: 4 });
    expect(explain.filter((e) => e.key === "identityfile").map((e) => e.line)).toEqual([7, 12]);
    expect(explain.find((e) => e.key === "batchmode")?.file).toBe("(default)");
    expect(r.origin("Port")).toEqual({ file, line: 4 });
    expect(r.origin("identityfile")).toEqual({ file, line: 7 });
    expect(r.origin("batchmode")?.file).toBe("(default)");
    expect(r.origin("nosuchoption")).toBeUndefined();
  });

  it("gives the same answer when a file's lines are reused from the cache", () => {
    const first = resolveSshConfigSync({ host: "alias", configFile: file }).toLines();
    const other = resolveSshConfigSync({ host: "unrelated", configFile: file }).toLines();
    expect(resolveSshConfigSync({ host: "alias", configFile: file }).toLines()).toEqual(first);
    expect(resolveSshConfigSync({ host: "unrelated", configFile: file }).toLines()).toEqual(other);
    expect(other).not.toEqual(first);
  });

  it("-l and -p win over the files", () => {
    const r = resolveSshConfigSync({ host: "alias", configFile: file, user: "cli", port: 2022 });
    expect([r.user, r.port]).toEqual(["cli", 2022]);
  });

  it("reports every bad line with its file and line, then fails", () => {
    const bad = configFile("Port 22\nBogus 1\nHost x\n  Port nope\n");
    let caught: unknown;
    try {
      resolveSshConfigSync({ host: "h", configFile: bad });
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(SshConfigError);
    const error = caught as SshConfigError;
    expect(error.code).toBe("BAD_CONFIGURATION");
    expect(error.file).toBe(bad);
    expect(error.line).toBe(2);
    expect(error.diagnostics.map((d) => d.line)).toEqual([2, 4]);
    expect(error.message.split("\n").at(-1)).toBe(`${bad}: terminating, 2 bad configuration options`);
  });

  it("runs Match exec through an injectable runner with expanded tokens", () => {
    const seen: string[] = [];
    const cfg = configFile('Match exec "check %h %r"\n  Port 2300\n');
    const r = resolveSshConfigSync({
      host: "target",
      configFile: cfg,
      localUser: "me",
      runExec: (command) => {
        seen.push(command);
        return { status: 0 };
      },
    });
    expect(seen).toEqual(["check target me"]);
    expect(r.port).toBe(2300);
  });
});

describe("key paths as ssh opens them", () => {
  it("expands ~, %-tokens and ${VAR} in IdentityFile and CertificateFile, keeping -G's spelling", () => {
    const cfg = configFile(
      "Host web\n  HostName web.example.com\n  User deploy\n" +
        "  IdentityFile ~/.ssh/id_%r@%h\n  IdentityFile ${KEYS}/%n.key\n  CertificateFile %d/certs/%u-%p.pub\n",
    );
    const r = resolveSshConfigSync({
      host: "web",
      configFile: cfg,
      homeDir: "/home/me",
      localUser: "me",
      env: { KEYS: "/keys" },
    });
    // ssh -G prints them unexpanded …
    expect(r.identityFiles).toEqual(["~/.ssh/id_%r@%h", "${KEYS}/%n.key"]);
    // … and opens them expanded.
    expect(r.identityFilePaths).toEqual(["/home/me/.ssh/id_deploy@web.example.com", "/keys/web.key"]);
    expect(r.certificateFilePaths).toEqual(["/home/me/certs/me-22.pub"]);
  });

  it("keeps a path whose expansion fails as written (ssh skips such a key)", () => {
    const cfg = configFile("Host *\n  IdentityFile ${NOT_SET_ANYWHERE}/key\n");
    const r = resolveSshConfigSync({ host: "x", configFile: cfg, homeDir: "/h", env: {} });
    expect(r.identityFilePaths).toEqual(["${NOT_SET_ANYWHERE}/key"]);
  });
});

describe("ssh-config-resolve CLI", () => {
  it("--explain prints the origin of each line", () => {
    const cfg = configFile("Host foo\n  Port 2400\n");
    let out = "";
    const status = runSshConfigResolve(["--explain", "-F", cfg, "foo"], {
      stdout: (text) => {
        out += text;
      },
      stderr: () => {},
    });
    expect(status).toBe(0);
    expect(out).toContain(`port 2400\t# ${cfg}:2\n`);
    expect(out).toContain("batchmode no\t# (default)\n");
  });

  it("reads arguments like ssh: `--`, options after the destination, grouped flags", () => {
    const cfg = configFile("Host foo\n  Port 2400\n");
    const run = (args: string[]) => {
      let out = "";
      const status = runSshConfigResolve(args, { stdout: (text) => (out += text), stderr: () => {} });
      return { status, out };
    };
    expect(run(["-G", "-F", cfg, "--", "foo"])).toMatchObject({
      status: 0,
      out: expect.stringContaining("port 2400\n"),
    });
    const after = run(["-G", "-F", cfg, "bob@foo", "-p", "2500", "-AC"]);
    expect(after.out).toMatch(/^user bob$/m);
    expect(after.out).toMatch(/^port 2500$/m);
    expect(after.out).toMatch(/^forwardagent yes$/m);
    expect(after.out).toMatch(/^compression yes$/m);
    // After `--` what follows the destination is the remote command, not options.
    expect(run(["-G", "-F", cfg, "--", "foo", "-p", "2500"]).out).toMatch(/^port 2400$/m);
  });

  it("prints usage and exits 255 without a destination", () => {
    let err = "";
    const status = runSshConfigResolve(["-G"], { stdout: () => {}, stderr: (t) => (err += t) });
    expect(status).toBe(255);
    expect(err).toMatch(/^usage: ssh-config-resolve/);
  });
});
