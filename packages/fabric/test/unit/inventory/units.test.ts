// Units of the inventory reader: Python literal typing, host ranges, ssh arguments as ssh_config
// options and the ansible_* → Connection mapping. Ansible's own answers are in the corpus test.
import { describe, expect, it } from "vitest";
import { expandHostRange, HostRangeError, splitHostPort } from "../../../src/inventory/host-range.js";
import {
  hostKwargsFromVars,
  parseIniValue,
  splitPattern,
  sshArgsToOptions,
} from "../../../src/inventory/index.js";
import { shellWords } from "../../../src/inventory/shell-words.js";

describe("INI values as Python literals", () => {
  it.each([
    ["42", 42],
    ["-7", -7],
    ["0x1F", 31],
    ["0o17", 15],
    ["0b101", 5],
    ["1_000", 1000],
    ["1.5", 1.5],
    ["1e3", 1000],
    [".5", 0.5],
    ["True", true],
    ["None", null],
    ["'a' \"b\"", "ab"],
    ["'tab\\there'", "tab\there"],
    ["r'raw\\n'", "raw\\n"],
    ["[1, 'x', [None]]", [1, "x", [null]]],
    ["(1,)", [1]],
    ["(1)", 1],
    ["{'k': {'n': 1}, 2: 'two'}", { k: { n: 1 }, "2": "two" }],
    ["12 # trailing comment", 12],
  ])("%s", (text, value) => {
    expect(parseIniValue(text)).toEqual(value);
  });

  it.each(["yes", "010", "foo # bar", "1j", "{1, 2}", "[1,", "'open", "true", "1+2", "f'x'"])(
    "%s stays text",
    (text) => {
      expect(parseIniValue(text)).toBe(text);
    },
  );
});

describe("host ranges", () => {
  it("expands numbers (zero-padded), letters, strides and several ranges", () => {
    expect(expandHostRange("web[01:03].example.com")).toEqual([
      "web01.example.com",
      "web02.example.com",
      "web03.example.com",
    ]);
    expect(expandHostRange("db-[a:c]")).toEqual(["db-a", "db-b", "db-c"]);
    expect(expandHostRange("n[0:10:5]")).toEqual(["n0", "n5", "n10"]);
    expect(expandHostRange("r[1:2]-[x:y]")).toEqual(["r1-x", "r1-y", "r2-x", "r2-y"]);
    expect(expandHostRange("h[:2]")).toEqual(["h0", "h1", "h2"]);
  });

  it("rejects what Ansible rejects", () => {
    expect(() => expandHostRange("web[1]")).toThrow(HostRangeError);
    expect(() => expandHostRange("web[01:100]")).toThrow(/equal-length/);
    expect(() => expandHostRange("web[c:a]")).toThrow(/begin <= end/);
    expect(() => expandHostRange("web[1:]")).toThrow(/end value/);
  });

  it("splits a port off names, IPv4 and bracketed IPv6, not off bare IPv6 or ranges", () => {
    expect(splitHostPort("web1:2222")).toEqual({ name: "web1", port: 2222 });
    expect(splitHostPort("10.0.0.1:22")).toEqual({ name: "10.0.0.1", port: 22 });
    expect(splitHostPort("[::1]:2200")).toEqual({ name: "::1", port: 2200 });
    expect(splitHostPort("fe80::1")).toEqual({ name: "fe80::1", port: undefined });
    expect(splitHostPort("web[1:3]")).toEqual({ name: "web[1:3]", port: undefined });
    expect(splitHostPort("web[1:3]:22")).toEqual({ name: "web[1:3]", port: 22 });
  });
});

describe("patterns and words", () => {
  it("splits on ',' or on ':' outside subscripts", () => {
    expect(splitPattern("web:&prod:!web[0:1]")).toEqual(["web", "&prod", "!web[0:1]"]);
    expect(splitPattern("a:b, c")).toEqual(["a:b", "c"]);
    expect(splitPattern("fe80::1")).toEqual(["fe80::1"]);
  });

  it("splits host lines like shlex with comments", () => {
    expect(shellWords(`h1 a='x y' b="q\\"r" c=d#gone e=f`)).toEqual(["h1", "a=x y", 'b=q"r', "c=d"]);
    expect(() => shellWords("h1 a='open")).toThrow("No closing quotation");
  });
});

describe("ansible_* vars as Connection settings", () => {
  it("maps host, port, user, key, ssh args, passwords and timeout; keeps every var", () => {
    const vars = {
      ansible_host: "10.0.0.5",
      ansible_port: "2222",
      ansible_user: "deploy",
      ansible_ssh_private_key_file: "/keys/id ed25519",
      ansible_ssh_common_args: "-o ProxyJump=bastion -oStrictHostKeyChecking=no",
      ansible_ssh_extra_args: "-J jump1,jump2 -p 2200 -i /k2 -l other -A -q",
      ansible_password: "login-secret",
      ansible_become_password: "sudo-secret",
      ansible_become_user: "postgres",
      ansible_timeout: 7,
      ansible_python_interpreter: "/usr/bin/python3",
    };
    expect(hostKwargsFromVars("db1", vars)).toEqual({
      host: "10.0.0.5",
      label: "db1",
      port: 2222,
      user: "deploy",
      sshOptions: [
        'IdentityFile "/keys/id ed25519"',
        "ProxyJump=bastion",
        "StrictHostKeyChecking=no",
        "ProxyJump jump1,jump2",
        "Port 2200",
        "IdentityFile /k2",
        "User other",
        "ForwardAgent yes",
      ],
      connectTimeout: 7,
      connectKwargs: { password: "login-secret" },
      configOverrides: { "sudo.password": "sudo-secret", "sudo.user": "postgres" },
      vars,
    });
  });

  it("uses the inventory name when there is no ansible_host, and the old aliases", () => {
    expect(
      hostKwargsFromVars("web1", { ansible_ssh_host: "h", ansible_ssh_port: 22, ansible_ssh_user: "u" }),
    ).toMatchObject({
      host: "h",
      port: 22,
      user: "u",
    });
    expect(hostKwargsFromVars("web1", {})).toEqual({ host: "web1", label: "web1", vars: {} });
  });

  it("names host and variable for what cannot be mapped", () => {
    expect(() => hostKwargsFromVars("w", { ansible_port: "http" })).toThrow(
      'host w: ansible_port "http" is not a port number',
    );
    expect(() => hostKwargsFromVars("w", { ansible_ssh_common_args: "-F /etc/other" })).toThrow(
      "host w: ansible_ssh_common_args: ssh option -F has no ssh_config equivalent here",
    );
    expect(() => sshArgsToOptions("-o")).toThrow("option -o needs a value");
  });
});

describe("selection for fab", () => {
  it("reads --limit @FILE, and keeps Fabric's user@host:port shorthand out of pattern syntax", async () => {
    const { mkdtemp, writeFile, rm } = await import("node:fs/promises");
    const { tmpdir } = await import("node:os");
    const { join } = await import("node:path");
    const { InventorySession } = await import("../../../src/inventory/inventory-session.js");
    const dir = await mkdtemp(join(tmpdir(), "inv-units-"));
    try {
      await writeFile(join(dir, "inventory.ini"), "[web]\nw1\nw2\nw3\n[db]\nd1\n");
      await writeFile(join(dir, "retry.txt"), "w3\n\nd1\n");
      const session = await InventorySession.load(
        [join(dir, "inventory.ini")],
        `@${join(dir, "retry.txt")}`,
        () => {},
      );
      expect(session.resolve(["all"]).map((h) => h.label)).toEqual(["w3", "d1"]);
      const open = await InventorySession.load([join(dir, "inventory.ini")], undefined, () => {});
      expect(open.resolve(["deploy@newbox:2222,web[0]", "other:22"]).map((h) => h.label ?? h.host)).toEqual([
        "w1",
        "deploy@newbox:2222",
        "other:22",
      ]);
      expect(open.resolve(["web,!w2"]).map((h) => h.label)).toEqual(["w1", "w3"]);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
