// Hostile strings through every place we build a command line (cd, env, sudo user) or a path
// (put/get): the remote side receives them literally and nothing they contain is executed.
import { existsSync } from "node:fs";
import { mkdir, readFile, rm, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { Connection } from "../../../src/connection/connection.js";
import {
  configFor,
  type EmbeddedHost,
  type EmbeddedHosts,
  startEmbeddedHosts,
} from "../../support/embedded-hosts.js";

const PWNED = "pwned-marker";
const HOSTILE = [
  "it's",
  'say "hi"',
  `$(touch ${PWNED})`,
  `\`touch ${PWNED}\``,
  `a; touch ${PWNED}`,
  "two\nlines",
  "ünïcødé ☃ 日本",
  "-n",
  "--help",
  "star * and ?",
  ["$HOME and $", "{HOME}"].join(""),
  "back\\slash",
  "tab\there",
  "&& touch x || true",
  "> redirected",
];

describe("hostile strings are passed literally (embedded host)", () => {
  let hosts: EmbeddedHosts;
  let web1: EmbeddedHost;
  let c: Connection;
  beforeAll(async () => {
    hosts = await startEmbeddedHosts({ hosts: 1 });
    web1 = hosts.host("web1");
    c = new Connection("web1", { config: configFor(hosts.sshConfigPath) });
  });
  afterAll(async () => {
    await c?.close();
    await hosts?.stop();
  });

  const pwned = () => existsSync(join(web1.dir, PWNED)) || existsSync(join(web1.dir, "x"));

  it.each(HOSTILE)("cd(%j) enters exactly that directory", async (name) => {
    await mkdir(join(web1.dir, "cd", name), { recursive: true });
    const result = await c.cd("cd").cd(name).run('printf %s "$PWD"', { hide: true });
    expect(result.stdout).toBe(join(web1.dir, "cd", name));
    expect(pwned()).toBe(false);
  });

  it.each(["-n", "-P", "--"])(
    "cd(%j) as the first component is a directory, not an option of cd",
    async (name) => {
      await mkdir(join(web1.dir, name), { recursive: true });
      const result = await c.cd(name).run('printf %s "$PWD"', { hide: true });
      expect(result.stdout).toBe(join(web1.dir, name));
    },
  );

  it.each(HOSTILE)("env value %j arrives unchanged", async (value) => {
    const result = await c.run('printf %s "$HOSTILE"', { hide: true, env: { HOSTILE: value } });
    expect(result.stdout).toBe(value);
    expect(pwned()).toBe(false);
  });

  it.each(HOSTILE.filter((name) => !name.startsWith("-")))("put/get with file name %j", async (name) => {
    const safe = name.replaceAll("/", "_");
    await mkdir(join(web1.dir, "files"), { recursive: true });
    await c.put(Buffer.from(`content of ${safe}`), `files/${safe}`);
    expect(await readFile(join(web1.dir, "files", safe), "utf8")).toBe(`content of ${safe}`);
    const chunks: Buffer[] = [];
    const { Writable } = await import("node:stream");
    await c.get(
      `files/${safe}`,
      new Writable({
        write(chunk: Buffer, _encoding, done) {
          chunks.push(chunk);
          done();
        },
      }),
    );
    expect(Buffer.concat(chunks).toString("utf8")).toBe(`content of ${safe}`);
    expect(pwned()).toBe(false);
  });

  it("an environment variable name that is not a name is refused, not spliced into the command", async () => {
    const error = await c
      .run("true", { hide: true, env: { [`X=1; touch ${PWNED}; Y`]: "v" } })
      .catch((e: Error) => e);
    expect((error as Error).message).toMatch(/Invalid environment variable name/);
    expect(pwned()).toBe(false);
  });

  it.each([`nobody$(touch ${PWNED})`, `nobody; touch ${PWNED}`, `\`touch ${PWNED}\``])(
    "sudo user %j is one argument to sudo -u",
    async (user) => {
      const error = await c.sudo("true", { hide: true, user, password: "unused" }).catch((e: Error) => e);
      expect(error).toBeInstanceOf(Error);
      expect(pwned()).toBe(false);
    },
  );

  afterAll(async () => {
    await rm(join(web1.dir, PWNED), { force: true });
    await writeFile(join(web1.dir, ".done"), "");
  });
});
