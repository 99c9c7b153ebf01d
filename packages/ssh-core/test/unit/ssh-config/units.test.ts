import { describe, expect, it } from "vitest";
import { numericAddress } from "../../../src/ssh-config/address.js";
import { ALL_CIPHERS, assembleNames, DEFAULT_CIPHERS } from "../../../src/ssh-config/algorithms.js";
import { parseProxyJump } from "../../../src/ssh-config/destination.js";
import { formatForward, parseForward } from "../../../src/ssh-config/forward.js";
import { matchHostname, matchPattern, matchPatternList } from "../../../src/ssh-config/patterns.js";
import { argvSplit, strdelim } from "../../../src/ssh-config/tokenize.js";
import { percentDollarExpand, percentExpand } from "../../../src/ssh-config/tokens.js";
import { parseTime } from "../../../src/ssh-config/values.js";

describe("patterns", () => {
  it("? matches exactly one character", () => {
    expect(matchPattern("foo", "fo?")).toBe(true);
    expect(matchPattern("fo", "fo?")).toBe(false);
    expect(matchPattern("fooo", "fo?")).toBe(false);
  });
  it("* matches any run, including empty", () => {
    expect(matchPattern("a.example.com", "*.example.com")).toBe(true);
    expect(matchPattern(".example.com", "*.example.com")).toBe(true);
    expect(matchPattern("example.com", "*.example.com")).toBe(false);
  });
  it("Host patterns are case-sensitive, Match host is not", () => {
    expect(matchPattern("FOO", "foo")).toBe(false);
    expect(matchHostname("FOO", "foo")).toBe(1);
  });
  it("a negated entry in a list wins over a positive one", () => {
    expect(matchPatternList("db.example.com", "*.example.com,!db.*")).toBe(-1);
    expect(matchPatternList("web.example.com", "*.example.com,!db.*")).toBe(1);
    expect(matchPatternList("x", "!y")).toBe(0);
  });
});

describe("tokenisers", () => {
  it("strdelim splits on one = and honours double quotes", () => {
    const cursor = { rest: 'Port=22 "a b" c' };
    expect(strdelim(cursor)).toBe("Port");
    expect(strdelim(cursor)).toBe("22");
    expect(strdelim(cursor)).toBe("a b");
    expect(strdelim(cursor)).toBe("c");
  });
  it("argvSplit handles quotes, escapes and comments", () => {
    expect(argvSplit(`a "b c" 'd e' f\\ g h#i # comment`)).toEqual(["a", "b c", "d e", "f g", "h#i"]);
    expect(argvSplit('"open')).toBeNull();
  });
});

describe("tokens", () => {
  it("expands known tokens and %%", () => {
    expect(percentExpand("%h:%p 100%%", { h: "host", p: "22" })).toBe("host:22 100%");
  });
  it("rejects unknown tokens with ssh's message", () => {
    expect(() => percentExpand("%z", { h: "x" })).toThrow(/unknown key %z\npercent_expand: failed/);
  });
  it("expands $-brace variables and reports unset ones", () => {
    const ref = (name: string) => `$\{${name}}`;
    expect(percentDollarExpand(`${ref("HOME")}/%h`, { h: "x" }, { HOME: "/home/u" })).toBe("/home/u/x");
    expect(() => percentDollarExpand(ref("NOPE"), {}, {})).toThrow(/invalid environment variable expansion/);
  });
});

describe("values", () => {
  it("parses OpenSSH time specifications", () => {
    expect(parseTime("90")).toBe(90);
    expect(parseTime("1m30s")).toBe(90);
    expect(parseTime("1h")).toBe(3600);
    expect(parseTime("soon")).toBeUndefined();
  });
  it("assembles algorithm lists with + - ^ and wildcards", () => {
    expect(assembleNames("+aes128-cbc", DEFAULT_CIPHERS, ALL_CIPHERS).endsWith(",aes128-cbc")).toBe(true);
    expect(assembleNames("^aes128-cbc", DEFAULT_CIPHERS, ALL_CIPHERS).startsWith("aes128-cbc,")).toBe(true);
    expect(assembleNames("-aes*", DEFAULT_CIPHERS, ALL_CIPHERS)).toBe("chacha20-poly1305@openssh.com");
    expect(assembleNames("aes*-ctr", DEFAULT_CIPHERS, ALL_CIPHERS)).toBe("aes128-ctr,aes192-ctr,aes256-ctr");
  });
  it("parses and prints forwards like ssh -G", () => {
    const local = parseForward("127.0.0.1:8080:db:5432", false, false);
    expect(local && formatForward(local, false)).toBe("[127.0.0.1]:8080 [db]:5432");
    expect(parseForward("8080", false, false)).toBeNull();
  });
});

describe("parseProxyJump", () => {
  it("returns hops in OpenSSH connection order with user and port", () => {
    expect(parseProxyJump("a@hop1:2201,hop2,ssh://c@hop3:2203")).toEqual([
      { user: "a", host: "hop1", port: 2201 },
      { host: "hop2" },
      { user: "c", host: "hop3", port: 2203 },
    ]);
  });
  it("understands none, IPv6 brackets and rejects bad hops", () => {
    expect(parseProxyJump("none")).toEqual([]);
    expect(parseProxyJump("[::1]:22")).toEqual([{ host: "::1", port: 22 }]);
    expect(() => parseProxyJump("h:0")).toThrow(/Invalid ProxyJump hop/);
  });
});

describe("numericAddress (getaddrinfo + getnameinfo, as ssh normalises address literals)", () => {
  it("writes IPv6 as glibc's inet_ntop does, keeping the caller's text when only letter case differs", () => {
    expect(numericAddress("2001:DB8::1")).toBe("2001:DB8::1");
    expect(numericAddress("2001:DB8:0:0::1")).toBe("2001:db8::1");
    expect(numericAddress("::FFFF:7F00:1")).toBe("::ffff:127.0.0.1");
    expect(numericAddress("::ffff:0:10.1.2.3")).toBe("::ffff:0:a01:203");
    expect(numericAddress("::a01:203")).toBe("::10.1.2.3");
    expect(numericAddress("1:0:0:2:0:0:0:3")).toBe("1:0:0:2::3");
    expect(numericAddress("0::0")).toBe("::");
  });

  it("a scope naming no interface makes it no address (it used to throw)", () => {
    expect(numericAddress("fe80:0::1%nosuchif0")).toBeUndefined();
    expect(numericAddress("fe80::1%")).toBeUndefined();
  });
});
