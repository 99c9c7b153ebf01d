// uploadTemplate against the real sshd: Jinja rendering, change by content hash, validate on the
// staged copy before it goes live, backups, sudo with owner and mode. Files are checked with node:fs.
import { mkdir, mkdtemp, readdir, readFile, rm, stat, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { Connection } from "../../src/connection/connection.js";
import { renderTemplate, uploadTemplate, ValidationFailed } from "../../src/helpers/index.js";
import { describeWithSshd, harnessConfig, type SshdHarness, startSshd } from "../support/fabric-sshd.js";

const NGINX_J2 = `server {
    listen {{ port | default(80) }};
    server_name {{ server_name }};
{% for name, value in headers.items() %}
    add_header {{ name }} "{{ value }}";
{% endfor %}
{% if production %}
    # production: {{ workers }} workers
{% endif %}
}
`;

describe("renderTemplate (Jinja through nunjucks)", () => {
  it("renders Ansible-style templates: filters, items(), trim_blocks, no HTML escaping", async () => {
    const text = await renderTemplate(
      { text: NGINX_J2 },
      { server_name: "api.example.com", headers: { "X-Frame": "<deny & co>" }, production: true, workers: 4 },
    );
    expect(text).toBe(
      'server {\n    listen 80;\n    server_name api.example.com;\n    add_header X-Frame "<deny & co>";\n    # production: 4 workers\n}\n',
    );
  });

  it("refuses an undefined variable (Ansible's default) and offers Ansible's common filters", async () => {
    await expect(renderTemplate({ text: "{{ missing }}" })).rejects.toThrow(/undefined|null/);
    expect(
      await renderTemplate(
        { text: "{{ x | to_json }} {{ 'yes' | bool }} {{ s | regex_replace('a(.)', 'b\\\\1') }}" },
        { x: { a: [1] }, s: "ax" },
      ),
    ).toBe('{"a":[1]} true bx');
  });

  it("reads a template file and resolves includes beside it", async () => {
    const dir = await mkdtemp(join(tmpdir(), "fabric-tpl-"));
    try {
      await writeFile(join(dir, "main.j2"), "{% include 'part.j2' %}={{ v }}\n");
      await writeFile(join(dir, "part.j2"), "part");
      expect(await renderTemplate(join(dir, "main.j2"), { v: 1 })).toBe("part=1\n");
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});

describeWithSshd(
  "uploadTemplate against real sshd",
  () => {
    let sshd: SshdHarness;
    let c: Connection;
    let base: string;
    const context = { server_name: "api.example.com", headers: {}, production: false, workers: 2 };

    beforeAll(async () => {
      sshd = await startSshd();
    });
    afterAll(async () => {
      await sshd?.stop();
    });
    beforeEach(async () => {
      base = `/opt/fabric-template-${process.pid}-${Math.random().toString(36).slice(2)}`;
      await mkdir(`${base}/sites available`, { recursive: true });
      if (!sshd.sudo.available) throw new Error(`sudo unavailable: ${sshd.sudo.reason}`);
      const config = harnessConfig(sshd);
      config.set("sudo.password", sshd.sudo.password);
      c = new Connection("host1", { config });
      return async () => {
        await c.close();
        await rm(base, { recursive: true, force: true });
      };
    });

    it("writes as root with owner and mode, validates first, and does not rewrite an unchanged file", async () => {
      const target = `${base}/sites available/api's "site".conf`;
      const options = {
        sudo: true,
        mode: 0o640,
        owner: "root",
        group: sshd.user,
        validate: "grep -q '^    server_name [a-z.]*;$' %s",
      } as const;
      const first = await uploadTemplate(c, { text: NGINX_J2 }, target, context, options);
      expect(first.changed).toBe(true);
      expect(first.path).toBe(target);
      expect(await readFile(target, "utf8")).toContain("server_name api.example.com;");
      const written = await stat(target);
      expect(written.mode & 0o777).toBe(0o640);
      expect(written.uid).toBe(0);
      const second = await uploadTemplate(c, { text: NGINX_J2 }, target, context, options);
      expect(second).toEqual({ changed: false, path: target, sha256: first.sha256 });
      expect((await stat(target)).ino).toBe(written.ino); // not even replaced by the same bytes
      // Same content, other mode: only the mode changes.
      const third = await uploadTemplate(c, { text: NGINX_J2 }, target, context, { ...options, mode: 0o644 });
      expect(third.changed).toBe(true);
      expect((await stat(target)).mode & 0o777).toBe(0o644);
      expect((await stat(target)).ino).toBe(written.ino);
    });

    it("a failing validate leaves the live file untouched, reports the validator's output, leaves no temp file", async () => {
      const target = `${base}/sites available/api.conf`;
      await writeFile(target, "old config\n");
      const error = await uploadTemplate(c, { text: "server_name {{ server_name }};\n" }, target, context, {
        sudo: true,
        validate: "sh -c 'echo \"nginx: [emerg] unexpected end of file in $1\" >&2; exit 1' check %s",
      }).then(
        () => null,
        (e: unknown) => e,
      );
      expect(error).toBeInstanceOf(ValidationFailed);
      const failure = error as ValidationFailed;
      expect(failure.exitCode).toBe(1);
      expect(failure.output).toMatch(
        /nginx: \[emerg\] unexpected end of file in .*\/\.api\.conf\.fabric-ts-[0-9a-f]+\.tmp/,
      );
      expect(failure.message).toContain("left untouched");
      expect(await readFile(target, "utf8")).toBe("old config\n");
      expect(await readdir(`${base}/sites available`)).toEqual(["api.conf"]);
    });

    it("keeps a backup of the replaced file when asked", async () => {
      const target = `${base}/sites available/api.conf`;
      await writeFile(target, "old config\n", { mode: 0o600 });
      const result = await uploadTemplate(c, { text: "new {{ workers }}\n" }, target, context, {
        sudo: true,
        backup: ".orig",
      });
      expect(result).toMatchObject({ changed: true, backup: `${target}.orig` });
      expect(await readFile(target, "utf8")).toBe("new 2\n");
      expect((await stat(target)).mode & 0o777).toBe(0o600); // the old file's mode carries over
      expect(await readFile(`${target}.orig`, "utf8")).toBe("old config\n");
    });

    it("without sudo: the login user's own file, over SFTP, validate as the login user", async () => {
      const home = (await c.run("pwd", { hide: true })).stdout.trim();
      const target = `~/fabric-template-${process.pid}.conf`;
      try {
        const first = await uploadTemplate(c, { text: "workers {{ workers }}\n" }, target, context, {
          validate: "test -s %s",
        });
        expect(first.changed).toBe(true);
        expect(await readFile(`${home}/fabric-template-${process.pid}.conf`, "utf8")).toBe("workers 2\n");
        expect((await uploadTemplate(c, { text: "workers {{ workers }}\n" }, target, context)).changed).toBe(
          false,
        );
        await expect(uploadTemplate(c, { text: "x" }, target, {}, { validate: "true" })).rejects.toThrow(
          /%s/,
        );
      } finally {
        await rm(`${home}/fabric-template-${process.pid}.conf`, { force: true });
      }
    });
  },
  { sudo: true },
);
