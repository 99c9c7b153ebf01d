import { execFile } from "node:child_process";
import { chmod, copyFile, mkdir, mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import ssh2 from "ssh2";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { listAgentKeys } from "../../src/client/agent-keys.js";
import { agentKeyFromBlob } from "../../src/client/agents.js";
import {
  certificateOf,
  certificateProblem,
  loadCertificateFiles,
  parseCertificate,
  parseCertificateText,
} from "../../src/client/certificates.js";
import { clientOptionsFromSshConfig } from "../../src/client/from-ssh-config.js";
import { loadIdentityFiles } from "../../src/client/identities.js";
import type { SshClientOptions } from "../../src/client/options.js";
import { SshClient } from "../../src/client/ssh-client.js";
import { SshAuthError, SshError } from "../../src/errors.js";
import { verifyHostKey } from "../../src/known-hosts/verifier.js";
import { resolveSshConfig } from "../../src/ssh-config/resolve.js";
import {
  baseOptions,
  describeWithSshd,
  type SshdHarness,
  scratchKnownHosts,
  startAgent,
  startSshd,
  whoamiWith,
} from "../support/sshd.js";

const run = promisify(execFile);

async function keygen(...args: string[]): Promise<void> {
  await run("ssh-keygen", ["-q", ...args]);
}

/** A CA, user keys and certificates signed by it, in a fresh directory sshd can read. */
async function makeCertificateLab() {
  const dir = await mkdtemp(join(tmpdir(), "ssh-core-certs-"));
  await chmod(dir, 0o755);
  const keys = join(dir, "keys");
  const certs = join(dir, "certs");
  const auto = join(dir, "auto");
  for (const d of [keys, certs, auto]) {
    await mkdir(d);
    await chmod(d, 0o755);
  }
  const ca = join(dir, "ca");
  await keygen("-t", "ed25519", "-N", "", "-C", "test-ca", "-f", ca);
  await keygen("-t", "ed25519", "-N", "", "-f", join(keys, "ed"));
  await keygen("-t", "rsa", "-b", "2048", "-N", "", "-f", join(keys, "rsa"));
  await keygen("-t", "ecdsa", "-N", "", "-f", join(keys, "ec"));
  await keygen("-t", "ed25519", "-N", "secret words", "-f", join(keys, "enc"));

  /** Sign `keys/<key>.pub` as `certs/<name>-cert.pub`. */
  const sign = async (key: string, name: string, principals: string, validity: string) => {
    const pub = join(certs, `${name}.pub`);
    await copyFile(join(keys, `${key}.pub`), pub);
    await keygen("-s", ca, "-I", `id-${name}`, "-n", principals, "-V", validity, pub);
    await rm(pub);
    return join(certs, `${name}-cert.pub`);
  };
  return {
    dir,
    keys,
    caPub: `${ca}.pub`,
    key: (name: string) => join(keys, name),
    sign,
    /** `auto/<file>` + `auto/<file>-cert.pub`: a key with the certificate OpenSSH picks up by name. */
    async withSiblingCertificate(key: string, file: string, certificate: string) {
      await copyFile(join(keys, key), join(auto, file));
      await chmod(join(auto, file), 0o600);
      await copyFile(certificate, join(auto, `${file}-cert.pub`));
      return join(auto, file);
    },
    cleanup: () => rm(dir, { recursive: true, force: true }),
  };
}

type Lab = Awaited<ReturnType<typeof makeCertificateLab>>;

describe("certificate parsing", () => {
  let lab: Lab;
  beforeAll(async () => {
    lab = await makeCertificateLab();
  });
  afterAll(() => lab?.cleanup());

  it("reads type, key, ID, principals and validity like ssh-keygen -L", async () => {
    const path = await lab.sign("ed", "parse", "alice,bob", "20300101:20300201");
    const certificate = parseCertificateText(await readFile(path, "latin1"));
    expect(certificate.type).toBe("ssh-ed25519-cert-v01@openssh.com");
    expect(certificate.keyType).toBe("ssh-ed25519");
    expect(certificate.certType).toBe("user");
    expect(certificate.keyId).toBe("id-parse");
    expect(certificate.principals).toEqual(["alice", "bob"]);
    const keyBlob = Buffer.from((await readFile(lab.key("ed.pub"), "latin1")).split(" ")[1] ?? "", "base64");
    expect(certificate.publicKey.equals(keyBlob)).toBe(true);
    const caBlob = Buffer.from((await readFile(lab.caPub, "latin1")).split(" ")[1] ?? "", "base64");
    expect(certificate.signatureKey.equals(caBlob)).toBe(true);
    // -V uses local time; compare with what ssh-keygen prints back.
    const { stdout } = await run("ssh-keygen", ["-L", "-f", path]);
    const valid = /Valid: from (\S+) to (\S+)/.exec(stdout);
    expect(valid).not.toBeNull();
    const localSeconds = (text: string) => BigInt(Math.floor(new Date(text).getTime() / 1000));
    expect(certificate.validAfter).toBe(localSeconds(valid?.[1] ?? ""));
    expect(certificate.validBefore).toBe(localSeconds(valid?.[2] ?? ""));
  });

  it.each([
    ["rsa", "ssh-rsa"],
    ["ec", "ecdsa-sha2-nistp256"],
  ])("extracts the certified %s key", async (key, keyType) => {
    const path = await lab.sign(key, `parse-${key}`, "x", "+1h");
    const certificate = parseCertificateText(await readFile(path, "latin1"));
    expect(certificate.keyType).toBe(keyType);
    const keyBlob = Buffer.from(
      (await readFile(lab.key(`${key}.pub`), "latin1")).split(" ")[1] ?? "",
      "base64",
    );
    expect(certificate.publicKey.equals(keyBlob)).toBe(true);
  });

  it("names what will make the server refuse a certificate", async () => {
    const expired = parseCertificateText(
      await readFile(await lab.sign("ed", "old", "alice", "20200101:20200102"), "latin1"),
    );
    expect(certificateProblem(expired, "alice")).toMatch(/^expired 2020-01-0/);
    const future = parseCertificateText(
      await readFile(await lab.sign("ed", "future", "alice", "20990101:20990102"), "latin1"),
    );
    expect(certificateProblem(future, "alice")).toMatch(/^not valid before 2099-01-0/);
    const current = parseCertificateText(
      await readFile(await lab.sign("ed", "now", "alice,bob", "-5m:+1h"), "latin1"),
    );
    expect(certificateProblem(current, "bob")).toBeNull();
    expect(certificateProblem(current, "carol")).toBe("principals alice,bob do not include carol");
  });

  it("rejects truncated certificates, plain keys and host certificates", async () => {
    const path = await lab.sign("ed", "trunc", "alice", "+1h");
    const blob = Buffer.from((await readFile(path, "latin1")).split(" ")[1] ?? "", "base64");
    expect(() => parseCertificate(blob.subarray(0, blob.length - 10))).toThrow(/truncated/);
    expect(() =>
      parseCertificateText(`ssh-ed25519-cert-v01@openssh.com ${blob.subarray(0, 40).toString("base64")}`),
    ).toThrow();
    const plainKey = await readFile(lab.key("ed.pub"), "latin1");
    expect(() => parseCertificateText(plainKey)).toThrow(/not a certificate/);

    const host = join(lab.dir, "host.pub");
    await copyFile(lab.key("ed.pub"), host);
    await keygen("-s", join(lab.dir, "ca"), "-h", "-I", "host-id", "-n", "web1", host);
    await expect(loadCertificateFiles([join(lab.dir, "host-cert.pub")])).rejects.toMatchObject({
      code: "KEY_UNREADABLE",
      message: expect.stringContaining("host certificate"),
    });
    expect(await loadCertificateFiles([join(lab.dir, "missing-cert.pub")])).toEqual([]);
  });

  it("pairs an IdentityFile with its <key>-cert.pub, offered right after the key", async () => {
    const cert = await lab.sign("rsa", "pair", "alice", "+1h");
    const keyPath = await lab.withSiblingCertificate("rsa", "id_rsa", cert);
    const identities = await loadIdentityFiles([keyPath]);
    expect(identities).toHaveLength(2);
    expect(identities[0]?.certificate).toBeUndefined();
    expect(identities[1]?.certificate?.certificate.keyId).toBe("id-pair");
    expect(identities[1]?.certificate?.path).toBe(`${keyPath}-cert.pub`);
    expect(await loadIdentityFiles([keyPath], { siblingCertificates: false })).toHaveLength(1);
  });

  it("ignores a <key>-cert.pub that certifies another key", async () => {
    const cert = await lab.sign("ed", "other", "alice", "+1h");
    const keyPath = await lab.withSiblingCertificate("ec", "id_ecdsa", cert);
    expect(await loadIdentityFiles([keyPath])).toHaveLength(1);
  });

  it("turns an agent's certificate blob into a key that offers the certificate and signs as the key", async () => {
    const path = await lab.sign("ec", "agent-blob", "alice", "+1h");
    const certificate = parseCertificateText(await readFile(path, "latin1"));
    const key = agentKeyFromBlob(certificate.blob);
    expect(key).not.toBeNull();
    expect(key?.type).toBe("ecdsa-sha2-nistp256");
    expect(key?.getPublicSSH().equals(certificate.blob)).toBe(true);
    expect(certificateOf(key)?.keyId).toBe("id-agent-blob");
  });
});

describe("@cert-authority in known_hosts", () => {
  it("explains that the host is only vouched for by a CA when that is all known_hosts has", async () => {
    const dir = await mkdtemp(join(tmpdir(), "ssh-core-ca-kh-"));
    try {
      await keygen("-t", "ed25519", "-N", "", "-f", join(dir, "ca"));
      await keygen("-t", "ed25519", "-N", "", "-f", join(dir, "host"));
      const caLine = (await readFile(join(dir, "ca.pub"), "latin1")).trim();
      const file = join(dir, "known_hosts");
      await writeFile(file, `@cert-authority *.example.test ${caLine}\n`);
      const hostBlob = Buffer.from(
        (await readFile(join(dir, "host.pub"), "latin1")).split(" ")[1] ?? "",
        "base64",
      );
      const error = await verifyHostKey("web1.example.test", 22, hostBlob, {
        strictHostKeyChecking: "yes",
        userKnownHostsFiles: [file],
        globalKnownHostsFiles: [],
      }).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(SshError);
      expect((error as SshError).code).toBe("HOST_KEY_UNKNOWN");
      expect((error as Error).message).toContain(`@cert-authority (${file}:1)`);
      expect((error as Error).message).toContain("host certificates are not supported");
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});

describeWithSshd("user certificates against real sshd (TrustedUserCAKeys, no authorized_keys)", () => {
  let sshd: SshdHarness;
  let lab: Lab;
  let knownHosts: Awaited<ReturnType<typeof scratchKnownHosts>>;
  const cert: Record<string, string> = {};

  beforeAll(async () => {
    lab = await makeCertificateLab();
    sshd = await startSshd({ extraConfig: [`TrustedUserCAKeys ${lab.caPub}`, "AuthorizedKeysFile none"] });
    knownHosts = await scratchKnownHosts(sshd);
    cert.ed = await lab.sign("ed", "ed", sshd.user, "-5m:+1h");
    cert.rsa = await lab.sign("rsa", "rsa", sshd.user, "-5m:+1h");
    cert.ec = await lab.sign("ec", "ec", sshd.user, "-5m:+1h");
    cert.enc = await lab.sign("enc", "enc", sshd.user, "-5m:+1h");
    cert.expired = await lab.sign("ed", "expired", sshd.user, "20200101:20200102");
    cert.wrongPrincipal = await lab.sign("ed", "wrong-principal", "somebody-else", "-5m:+1h");
  });
  afterAll(async () => {
    await knownHosts?.cleanup();
    await sshd?.stop();
    await lab?.cleanup();
  });

  const options = (extra: Partial<SshClientOptions>) => baseOptions(sshd, knownHosts.file, extra);

  const whoami = (extra: Partial<SshClientOptions>) => whoamiWith(options(extra));

  async function authError(extra: Partial<SshClientOptions>): Promise<SshAuthError> {
    const error = await whoami(extra).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(SshAuthError);
    return error as SshAuthError;
  }

  /** sshd (LogLevel VERBOSE) names the certificate of each accepted login. */
  async function lastAccepted(): Promise<string> {
    const lines = (await sshd.readLog()).split("\n").filter((l) => l.includes("Accepted publickey"));
    return lines.at(-1) ?? "";
  }

  it("the server really has no authorized keys: OpenSSH's own client needs the certificate too", async () => {
    const without = await sshd.ssh("host1", "true", { identityFile: lab.key("ed") });
    expect(without.code).not.toBe(0);
    const withCert = await sshd.ssh("host1", "whoami", {
      identityFile: lab.key("ed"),
      sshOptions: ["-o", `CertificateFile=${cert.ed}`],
    });
    expect(withCert.stdout.trim()).toBe(sshd.user);
  });

  it.each([
    ["ed", "ED25519-CERT"],
    ["rsa", "RSA-CERT"],
    ["ec", "ECDSA-CERT"],
  ])("logs in with a %s key and its CertificateFile", async (key, logged) => {
    expect(await whoami({ identityFiles: [lab.key(key)], certificateFiles: [cert[key] as string] })).toBe(
      sshd.user,
    );
    const accepted = await lastAccepted();
    expect(accepted).toContain(logged);
    expect(accepted).toContain(`ID id-${key} `);
  });

  it("signs RSA certificates with SHA-2 (sshd 8.8+ refuses ssh-rsa-cert-v01 by default)", async () => {
    const accepted = (await sshd.effectiveConfig()).get("pubkeyacceptedalgorithms")?.join(",") ?? "";
    expect(accepted).toContain("rsa-sha2-256-cert-v01@openssh.com");
    expect(accepted.split(",")).not.toContain("ssh-rsa-cert-v01@openssh.com");
    expect(await whoami({ identityFiles: [lab.key("rsa")], certificateFiles: [cert.rsa as string] })).toBe(
      sshd.user,
    );
  });

  it("fails without the certificate, listing the key it tried", async () => {
    const error = await authError({ identityFiles: [lab.key("ed")] });
    expect(error.code).toBe("AUTH_FAILED");
    expect(error.message).toContain(`publickey ${lab.key("ed")}`);
    expect(error.message).not.toContain("certificate");
  });

  it("fails with an expired certificate and says it expired", async () => {
    const error = await authError({
      identityFiles: [lab.key("ed")],
      certificateFiles: [cert.expired as string],
    });
    expect(error.code).toBe("AUTH_FAILED");
    expect(error.message).toContain(`publickey ${cert.expired} (certificate "id-expired", expired 2020-01-0`);
    expect(error.message).toContain(`publickey ${lab.key("ed")}`);
    expect(await sshd.readLog()).toMatch(/[Cc]ertificate invalid: expired/);
  });

  it("fails with a certificate for another principal and says so", async () => {
    const error = await authError({
      identityFiles: [lab.key("ed")],
      certificateFiles: [cert.wrongPrincipal as string],
    });
    expect(error.code).toBe("AUTH_FAILED");
    expect(error.message).toContain(
      `publickey ${cert.wrongPrincipal} (certificate "id-wrong-principal", principals somebody-else do not include ${sshd.user})`,
    );
  });

  it("reports a CertificateFile without a private key as skipped", async () => {
    const error = await authError({ identityFiles: [lab.key("rsa")], certificateFiles: [cert.ed as string] });
    expect(error.message).toContain(
      `publickey ${cert.ed} (certificate "id-ed") (skipped: no private key for it)`,
    );
  });

  it("picks up <key>-cert.pub beside an IdentityFile, as OpenSSH does", async () => {
    const keyPath = await lab.withSiblingCertificate("ec", "id_ecdsa", cert.ec as string);
    expect(await whoami({ identityFiles: [keyPath] })).toBe(sshd.user);
    expect(await lastAccepted()).toContain("ID id-ec ");
  });

  it("decrypts an encrypted key once, when the server accepts its certificate", async () => {
    const keyPath = await lab.withSiblingCertificate("enc", "id_ed25519", cert.enc as string);
    const prompts: string[] = [];
    const user = await whoami({
      identityFiles: [keyPath],
      promptPassphrase: async ({ key }) => {
        prompts.push(key);
        return "secret words";
      },
    });
    expect(user).toBe(sshd.user);
    expect(prompts).toEqual([keyPath]);
    expect(await lastAccepted()).toContain("ID id-enc ");
  });

  it.each([
    ["ed", "id_ed25519", "ED25519-CERT"],
    ["rsa", "id_rsa", "RSA-CERT"],
  ])(
    "uses a %s certificate held by a real ssh-agent (ssh-add loads it with the key)",
    async (key, file, logged) => {
      const keyPath = await lab.withSiblingCertificate(key, file, cert[key] as string);
      await using agent = await startAgent();
      await agent.add(keyPath);
      const listed = await agent.list();
      expect(listed.map((k) => k.type)).toContain(logged);
      // listAgentKeys (fab --list-agent-keys) shows the certificate too, line for line like ssh-add -l.
      const ours = await listAgentKeys(agent.socket);
      expect(ours.map((k) => `${k.bits} ${k.fingerprint} ${k.comment} (${k.algorithm})`)).toEqual(
        listed.map((k) => `${k.bits} ${k.fingerprint} ${k.comment} (${k.type})`),
      );
      expect(await whoami({ agent: agent.socket, identityFiles: [] })).toBe(sshd.user);
      const accepted = await lastAccepted();
      expect(accepted).toContain(logged);
      expect(accepted).toContain(`ID id-${key} `);
    },
  );

  it("IdentitiesOnly keeps an agent certificate only when its key is an IdentityFile", async () => {
    const keyPath = await lab.withSiblingCertificate("ed", "id_ed25519", cert.ed as string);
    await using agent = await startAgent();
    await agent.add(keyPath);
    const error = await authError({ agent: agent.socket, identityFiles: [], identitiesOnly: true });
    expect(error.message).toContain("agent (0 keys)");
    expect(await whoami({ agent: agent.socket, identityFiles: [keyPath], identitiesOnly: true })).toBe(
      sshd.user,
    );
    expect(await lastAccepted()).toContain("ID id-ed ");
  });

  it("signs a CertificateFile with the agent when only the agent holds its key", async () => {
    await using agent = await startAgent();
    await agent.add(lab.key("ed"));
    expect(
      await whoami({ agent: agent.socket, identityFiles: [], certificateFiles: [cert.ed as string] }),
    ).toBe(sshd.user);
    expect(await lastAccepted()).toContain("ID id-ed ");
  });

  it("follows CertificateFile from ssh_config through clientOptionsFromSshConfig", async () => {
    const host = sshd.hosts[0];
    if (!host) throw new Error("no host");
    const configFile = join(lab.dir, "ssh_config");
    await writeFile(
      configFile,
      [
        "Host certhost",
        `  HostName ${host.address}`,
        `  Port ${host.port}`,
        `  User ${sshd.user}`,
        `  IdentityFile ${lab.key("rsa")}`,
        `  CertificateFile ${cert.rsa}`,
        "  IdentitiesOnly yes",
        "  IdentityAgent none",
        `  UserKnownHostsFile ${knownHosts.file}`,
        "  GlobalKnownHostsFile /dev/null",
        "  StrictHostKeyChecking yes",
        "",
      ].join("\n"),
    );
    const resolved = await resolveSshConfig({ host: "certhost", configFile });
    const clientOptions = clientOptionsFromSshConfig(resolved);
    expect(clientOptions.certificateFiles).toEqual([cert.rsa]);
    const client = await SshClient.connect(clientOptions);
    try {
      expect((await client.run("whoami")).stdout.trim()).toBe(sshd.user);
    } finally {
      await client.close();
    }
    expect(await lastAccepted()).toContain("ID id-rsa ");
  });
});

describeWithSshd("host certificates (HostCertificate + @cert-authority) against real sshd", () => {
  let sshd: SshdHarness;
  let lab: Lab;
  let knownHosts: string;

  beforeAll(async () => {
    lab = await makeCertificateLab();
    const hostCertificate = join(lab.dir, "host-cert.pub");
    // sshd only logs a missing HostCertificate; the certificate is made once the host key exists.
    sshd = await startSshd({ extraConfig: [`HostCertificate ${hostCertificate}`] });
    const hostKey = sshd.hostKeys.find((k) => k.publicKey.startsWith("ssh-ed25519 "));
    if (!hostKey) throw new Error("harness has no ed25519 host key");
    await copyFile(hostKey.publicKeyPath, join(lab.dir, "host.pub"));
    const host = sshd.hosts[0];
    if (!host) throw new Error("no host");
    await keygen(
      "-s",
      join(lab.dir, "ca"),
      "-h",
      "-I",
      "host-cert",
      "-n",
      host.address,
      join(lab.dir, "host.pub"),
    );
    await sshd.restart();
    knownHosts = join(lab.dir, "known_hosts_ca");
    const caLine = (await readFile(lab.caPub, "latin1")).trim();
    await writeFile(knownHosts, `@cert-authority [${host.address}]:${host.port} ${caLine}\n`);
  });
  afterAll(async () => {
    await sshd?.stop();
    await lab?.cleanup();
  });

  it("OpenSSH verifies the host through the CA alone, ssh-core refuses with the reason", async () => {
    const openssh = await sshd.ssh("host1", "whoami", {
      sshOptions: ["-o", `UserKnownHostsFile=${knownHosts}`, "-o", "StrictHostKeyChecking=yes"],
    });
    expect(openssh.stdout.trim()).toBe(sshd.user);

    const error = await SshClient.connect(
      baseOptions(sshd, knownHosts, { identityFiles: [sshd.identityFile] }),
    ).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(SshError);
    expect((error as SshError).code).toBe("HOST_KEY_UNKNOWN");
    expect((error as Error).message).toContain(`only through @cert-authority (${knownHosts}:1)`);
  });

  it("ssh2 neither proposes nor accepts host certificate algorithms (measured, so the docs stay honest)", async () => {
    const certificateOnly = {
      host: "127.0.0.1",
      port: 9,
      algorithms: { serverHostKey: ["ssh-ed25519-cert-v01@openssh.com"] },
    } as unknown as ssh2.ConnectConfig;
    expect(() => new ssh2.Client().connect(certificateOnly)).toThrow(
      "Unsupported algorithm: ssh-ed25519-cert-v01@openssh.com",
    );

    const debug: string[] = [];
    const client = await SshClient.connect(
      baseOptions(sshd, sshd.knownHostsPath, {
        identityFiles: [sshd.identityFile],
        debug: (line) => debug.push(line),
      }),
    );
    await client.close();
    const formats = debug.filter((line) => line.includes("Host key format"));
    expect(formats.find((l) => l.includes("(remote)"))).toContain("ssh-ed25519-cert-v01@openssh.com");
    expect(formats.find((l) => l.includes("(local)"))).not.toContain("cert-v01");
    expect(formats.find((l) => /Handshake: Host key format/.test(l))).toMatch(/: ssh-ed25519$/);
  });
});
