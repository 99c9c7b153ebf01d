/**
 * Input generators for the ssh-core fuzz suites: ssh_config token soup, mutations of real
 * files, and known_hosts lines. Everything is driven by fast-check with a fixed seed (see SEED).
 */
import fc from "fast-check";

/**
 * One fixed seed for every fuzz property, so CI runs are reproducible (fast-check prints the seed
 * and path of a failure). FUZZ_SEED and FUZZ_SCALE explore further by hand: FUZZ_SCALE=10 runs ten
 * times as many cases.
 */
export const SEED = Number(process.env.FUZZ_SEED ?? 0x5eed);
const SCALE = Number(process.env.FUZZ_SCALE ?? 1);

/** Per-test vitest timeout for fuzz properties: a generous bound on a busy machine, not a speed check. */
export const FUZZ_TIMEOUT = 120_000 * Math.max(1, SCALE);

/** `n` cases, times FUZZ_SCALE. */
export function runs(n: number): number {
  return Math.max(1, Math.round(n * SCALE));
}

/** ssh_config's `${NAME}` environment reference. */
const envRef = (name: string) => ["$", "{", name, "}"].join("");

/** Every keyword the resolver knows, a few deprecated/unsupported ones and some that are not keywords. */
export const KEYWORDS = [
  ..."connecttimeout forwardagent forwardx11 forwardx11trusted forwardx11timeout gatewayports exitonforwardfailure passwordauthentication kbdinteractiveauthentication kbdinteractivedevices pubkeyauthentication hostbasedauthentication gssapiauthentication gssapikeyexchange gssapidelegatecredentials gssapitrustdns gssapirenewalforcesrekey gssapiclientidentity gssapiserveridentity gssapikexalgorithms batchmode checkhostip verifyhostkeydns stricthostkeychecking compression tcpkeepalive nohostauthenticationforlocalhost numberofpasswordprompts rekeylimit identityfile certificatefile xauthlocation user globalknownhostsfile userknownhostsfile hostname hostkeyalias preferredauthentications bindaddress bindinterface pkcs11provider securitykeyprovider knownhostscommand proxycommand proxyjump port connectionattempts ciphers macs kexalgorithms hostkeyalgorithms casignaturealgorithms hostbasedacceptedalgorithms pubkeyacceptedalgorithms loglevel syslogfacility logverbose localforward remoteforward dynamicforward permitremoteopen clearallforwardings host match include escapechar addressfamily enablesshkeysign identitiesonly serveraliveinterval serveralivecountmax sendenv setenv controlpath controlmaster controlpersist hashknownhosts tunnel tunneldevice localcommand permitlocalcommand remotecommand visualhostkey ipqos requesttty sessiontype stdinnull forkafterauthentication ignoreunknown proxyusefdpass canonicaldomains canonicalizepermittedcnames canonicalizehostname canonicalizemaxdots canonicalizefallbacklocal streamlocalbindmask streamlocalbindunlink revokedhostkeys fingerprinthash updatehostkeys addkeystoagent identityagent requiredrsasize enableescapecommandline".split(
    " ",
  ),
  "Host",
  "Match",
  "Include",
  "HostName",
  "Port",
  "cipher",
  "protocol",
  "useroaming",
  "kerberosauthentication",
  "identityfile2",
  "keepalive",
  "bogusoption",
  "__proto__",
  "constructor",
  "hasOwnProperty",
  "toString",
];

/** Values that real directives take, plus edge cases (tokens, env refs, quotes, huge numbers). */
const VALUES = [
  "yes",
  "no",
  "ask",
  "none",
  "auto",
  "always",
  "0",
  "1",
  "22",
  "65535",
  "65536",
  "-1",
  "99999999999999999999",
  "1h30m",
  "5s",
  "1x",
  "%h",
  "%p",
  "%r",
  "%C",
  "%%",
  "%",
  "%z",
  envRef("HOME"),
  envRef("NOPE"),
  "${",
  "$FUZZ",
  "~",
  "~/.ssh/id_ed25519",
  "/dev/null",
  "foo.example.com",
  "*.example.com",
  "!bad",
  "web?",
  "*",
  "a,b,,c",
  "user@host:2222",
  "[::1]:22",
  "[fe80::1%eth0]",
  "ssh://u@h:1",
  "jump1,jump2",
  "8080:localhost:80",
  "localhost:1080",
  "/tmp/sock:/tmp/other",
  "+aes128-ctr",
  "-chacha20-poly1305@openssh.com",
  "^ssh-ed25519",
  "aes256-gcm@openssh.com,aes128-ctr",
  "LANG",
  "LC_*",
  "-LANG",
  "FOO=bar",
  "FOO",
  "=",
  "==",
  "#",
  "# comment",
  '"',
  "'",
  '"quoted value"',
  "'single'",
  "\\",
  "\\ ",
  "a\\ b",
  "all",
  "canonical",
  "final",
  "exec",
  "host",
  "originalhost",
  "user",
  "localuser",
  "!all",
  "!exec",
  "af21",
  "lowdelay throughput",
  "4G",
  "1K 10",
  "ed25519",
  "sha256",
  "quiet",
  "DEBUG3",
  "LOCAL7",
  "inet6",
  "ethernet",
  "0:0",
  "any",
  "",
];

const FILES = ["one.conf", "two.conf", "conf.d/*", "*", "missing.conf", "~/.ssh/one.conf", "/nonexistent/x"];

const separator = fc.constantFrom(" ", "\t", "=", " = ", "  ", "==", " =\t");
const value = fc.oneof(
  { weight: 6, arbitrary: fc.constantFrom(...VALUES) },
  { weight: 1, arbitrary: fc.string({ maxLength: 12 }) },
);

/** One config line: a keyword with 0–4 values, a Host/Match/Include line, a comment, or junk. */
export const configLine: fc.Arbitrary<string> = fc.oneof(
  {
    weight: 8,
    arbitrary: fc
      .tuple(
        fc.constantFrom("", " ", "\t"),
        fc.constantFrom(...KEYWORDS),
        separator,
        fc.array(value, { maxLength: 4 }),
      )
      .map(([indent, keyword, sep, values]) => `${indent}${keyword}${sep}${values.join(" ")}`),
  },
  {
    weight: 2,
    arbitrary: fc
      .array(fc.constantFrom("foo", "*", "!foo", "f?o", "*.example.com", "bar", '"foo"', "known*"), {
        maxLength: 4,
      })
      .map((patterns) => `Host ${patterns.join(" ")}`),
  },
  {
    weight: 2,
    arbitrary: fc
      .array(
        fc.oneof(
          fc.constantFrom("all", "canonical", "final", "!final", "exec", "host", "user", "localuser"),
          fc
            .tuple(
              fc.constantFrom("host", "originalhost", "user", "localuser", "exec", "!exec", "!host"),
              fc.constantFrom("foo", "*", "fuzzer", "true", '"x y"', "%h", "!foo,*"),
            )
            .map(([criterion, arg]) => `${criterion} ${arg}`),
        ),
        { maxLength: 4 },
      )
      .map((criteria) => `Match ${criteria.join(" ")}`),
  },
  { weight: 1, arbitrary: fc.constantFrom(...FILES).map((file) => `Include ${file}`) },
  { weight: 1, arbitrary: fc.constantFrom("", "# comment", "   ", "\t#", "\r") },
  { weight: 1, arbitrary: fc.string({ unit: "binary", maxLength: 40 }) },
);

/** A whole file of token soup. */
export const configText: fc.Arbitrary<string> = fc
  .array(configLine, { maxLength: 25 })
  .map((lines) => `${lines.join("\n")}\n`);

/** Destinations: plain names, user@host, URIs, addresses and malformed ones. */
export const destination: fc.Arbitrary<string> = fc.oneof(
  { weight: 5, arbitrary: fc.constantFrom("foo", "bar", "known.example", "FOO", "127.0.0.1", "::1") },
  {
    weight: 2,
    arbitrary: fc.constantFrom(
      "u@foo",
      "@foo",
      "u@",
      "ssh://u@foo:2222",
      "ssh://[::1]:22",
      "ssh://",
      "a@b@c",
    ),
  },
  { weight: 1, arbitrary: fc.string({ minLength: 1, maxLength: 20 }) },
);

/** Text edits applied to a real file: the kinds of damage hand-edited configs suffer. */
export type Mutation =
  | { kind: "flip"; at: number; char: string }
  | { kind: "delete-line"; at: number }
  | { kind: "duplicate-line"; at: number }
  | { kind: "swap-lines"; at: number; with: number }
  | { kind: "truncate"; at: number }
  | { kind: "insert"; at: number; text: string };

export const mutation: fc.Arbitrary<Mutation> = fc.oneof(
  fc.record({
    kind: fc.constant("flip" as const),
    at: fc.nat(),
    char: fc.oneof(
      fc.constantFrom('"', "'", "=", "#", " ", "\n", "%", "$", "\\", "*", "!", "\0"),
      fc.string({ unit: "binary", minLength: 1, maxLength: 1 }),
    ),
  }),
  fc.record({ kind: fc.constant("delete-line" as const), at: fc.nat() }),
  fc.record({ kind: fc.constant("duplicate-line" as const), at: fc.nat() }),
  fc.record({ kind: fc.constant("swap-lines" as const), at: fc.nat(), with: fc.nat() }),
  fc.record({ kind: fc.constant("truncate" as const), at: fc.nat() }),
  fc.record({
    kind: fc.constant("insert" as const),
    at: fc.nat(),
    text: fc.oneof(fc.constantFrom('"', "'", " = ", "\nInclude config\n", "\nMatch all\n"), configLine),
  }),
);

export function applyMutation(text: string, m: Mutation): string {
  const lines = text.split("\n");
  const line = (at: number) => at % Math.max(lines.length, 1);
  switch (m.kind) {
    case "flip": {
      if (text.length === 0) return m.char;
      const at = m.at % text.length;
      return text.slice(0, at) + m.char + text.slice(at + 1);
    }
    case "delete-line":
      lines.splice(line(m.at), 1);
      return lines.join("\n");
    case "duplicate-line":
      lines.splice(line(m.at), 0, lines[line(m.at)] ?? "");
      return lines.join("\n");
    case "swap-lines": {
      const a = line(m.at);
      const b = line(m.with);
      [lines[a], lines[b]] = [lines[b] ?? "", lines[a] ?? ""];
      return lines.join("\n");
    }
    case "truncate":
      return text.slice(0, m.at % (text.length + 1));
    case "insert": {
      const at = m.at % (text.length + 1);
      return text.slice(0, at) + m.text + text.slice(at);
    }
  }
}

/** Options for the resolver from a corpus case's `ssh` arguments (-F, -l, -p, -o, destination). */
export function optionsFromArgs(args: readonly string[]): {
  host: string;
  configFile?: string;
  user?: string;
  port?: number;
  extraOptions: string[];
} {
  const out: { host: string; configFile?: string; user?: string; port?: number; extraOptions: string[] } = {
    host: "foo",
    extraOptions: [],
  };
  for (let i = 0; i < args.length; i++) {
    const arg = args[i]!;
    if (arg === "-G") continue;
    if (arg === "-F") out.configFile = args[++i]?.replace(/^\$HOME\//, "");
    else if (arg === "-l") out.user = args[++i];
    else if (arg === "-p") out.port = Number(args[++i]);
    else if (arg === "-o") out.extraOptions.push(args[++i] ?? "");
    else out.host = arg;
  }
  return out;
}

// --- the safe grammar for the differential test against `ssh -G` ---------------------------------
// No Match exec (nothing may run), no CanonicalizeHostname (no DNS), Include only inside $HOME.

const pick = <T>(...values: T[]) => fc.constantFrom(...values);

const SAFE_DIRECTIVES: Record<string, fc.Arbitrary<string>> = {
  Port: pick("22", "2222", "1", "65535", "0", "65536", "x", "22 23"),
  User: pick("alice", "bob", "%u", "%h", "'quoted user'", '"a b"'),
  HostName: pick("real.example", "%h.example", "%h", "%%h", "10.0.0.1", "UPPER.example", "%z"),
  IdentityFile: pick(
    "~/.ssh/id_a",
    "/keys/%h",
    "%d/id",
    "$HOME/id_%r",
    `${envRef("FUZZ")}/id`,
    `${envRef("NOPE")}/id`,
  ),
  CertificateFile: pick("~/.ssh/id_a-cert.pub", "/certs/%h"),
  ForwardAgent: pick("yes", "no", "maybe", "$HOME/agent.sock"),
  Compression: pick("yes", "no", "delayed", "0"),
  ConnectTimeout: pick("10", "0", "-1", "1m", "none", "x"),
  ConnectionAttempts: pick("1", "3", "0", "-2"),
  ServerAliveInterval: pick("30", "0", "1h", "bad"),
  ServerAliveCountMax: pick("3", "0", "x"),
  StrictHostKeyChecking: pick("yes", "no", "ask", "accept-new", "off", "maybe"),
  UserKnownHostsFile: pick("/kh/a /kh/b", "none", "~/kh %h", "none /kh/x"),
  GlobalKnownHostsFile: pick("/etc/kh", "none"),
  HostKeyAlias: pick("alias", "UPPER", "%h"),
  SendEnv: pick("LANG LC_*", "-LANG", "FOO=bar", "A B C"),
  SetEnv: pick("A=b", "A=b C=d", "A", 'X="y z"'),
  Ciphers: pick(
    "aes128-ctr",
    "+aes256-ctr",
    "-aes128-ctr",
    "^chacha20-poly1305@openssh.com",
    "bogus",
    "aes*",
  ),
  KexAlgorithms: pick(
    "curve25519-sha256",
    "+diffie-hellman-group14-sha1",
    "-sntrup761x25519-sha512@openssh.com",
  ),
  MACs: pick("hmac-sha2-256", "+hmac-sha1", "hmac-md5"),
  HostKeyAlgorithms: pick("ssh-ed25519", "+ssh-rsa", "rsa-sha2-512,ssh-ed25519", "^ecdsa-sha2-nistp256"),
  LocalForward: pick("8080 localhost:80", "127.0.0.1:9000 db:5432", "/tmp/l.sock /tmp/r.sock", "bad"),
  RemoteForward: pick("9090 localhost:90", "9091", "0 x:1"),
  DynamicForward: pick("1080", "localhost:1081", "x"),
  ProxyJump: pick("jump", "u@jump:2200,jump2", "none", "[::1]:22", "ssh://j:1", "@bad"),
  ProxyCommand: pick("ssh -W %h:%p jump", "none", '"quoted" cmd'),
  IdentitiesOnly: pick("yes", "no"),
  BatchMode: pick("yes", "no"),
  // DEBUG levels make ssh print debug logs, which the resolver does not emulate.
  LogLevel: pick("QUIET", "silent", "FATAL", "error", "info", "loud"),
  AddressFamily: pick("inet", "inet6", "any", "ipx"),
  RequestTTY: pick("yes", "no", "force", "auto"),
  ControlPath: pick("~/.ssh/cm-%C", "/tmp/%r@%h:%p", "none"),
  ControlMaster: pick("auto", "autoask", "yes", "no"),
  ControlPersist: pick("10m", "yes", "no", "0"),
  RemoteCommand: pick("echo %h %p %r", "none"),
  EscapeChar: pick("~", "none", "^A", "xy"),
  IPQoS: pick("af21", "lowdelay throughput", "bogus"),
  UpdateHostKeys: pick("yes", "no", "ask"),
  Bogus: pick("x"),
};

const safeDirective: fc.Arbitrary<string> = fc
  .tuple(
    fc.constantFrom(...Object.keys(SAFE_DIRECTIVES)),
    fc.constantFrom("", "  ", "\t"),
    fc.constantFrom(" ", " = ", "=", "\t"),
    fc.boolean(),
  )
  .chain(([keyword, indent, sep, lower]) =>
    SAFE_DIRECTIVES[keyword]!.map(
      (value) => `${indent}${lower ? keyword.toLowerCase() : keyword}${sep}${value}`,
    ),
  );

const safeBlock: fc.Arbitrary<string> = fc.oneof(
  fc
    .array(pick("foo", "bar", "*", "!foo", "f?o", "web*", "*.example", "u@foo"), {
      minLength: 1,
      maxLength: 3,
    })
    .map((patterns) => `Host ${patterns.join(" ")}`),
  fc
    .array(
      fc.oneof(
        pick("canonical", "final", "!final"),
        fc
          .tuple(
            pick("host", "originalhost", "user", "localuser", "!host", "Host"),
            pick("foo", "bar,*", "!foo,*", "real.example", "alice", "root", "*"),
          )
          .map(([criterion, arg]) => `${criterion} ${arg}`),
      ),
      { minLength: 1, maxLength: 3 },
    )
    .map((criteria) => `Match ${criteria.join(" ")}`),
  pick("Match all", "Match !all", "Match all host foo", "Match", "Host", "Include $HOME/inc/*.conf"),
);

const safeLine: fc.Arbitrary<string> = fc.oneof(
  { weight: 6, arbitrary: safeDirective },
  { weight: 2, arbitrary: safeBlock },
  { weight: 1, arbitrary: pick("", "# comment", "\t# indented comment") },
);

/** A config in the safe grammar, an included file, and the arguments after `-G -F config`. */
export const differentialCase = fc.record({
  files: fc.record({
    config: fc.array(safeLine, { maxLength: 14 }).map((lines) => `${lines.join("\n")}\n`),
    "inc/a.conf": fc.array(safeLine, { maxLength: 4 }).map((lines) => `${lines.join("\n")}\n`),
  }),
  args: fc
    .tuple(
      fc.option(pick(["-l", "carol"], ["-p", "2022"], ["-o", "Port=2300"], ["-o", "User=opt"]), {
        nil: undefined,
      }),
      pick("foo", "bar", "FOO", "web1", "u@foo", "ssh://u@foo:2222", "127.0.0.1", "real.example"),
    )
    .map(([option, dest]) => [...(option ?? []), dest]),
});

// --- known_hosts ---------------------------------------------------------------------------------

/** An SSH wire-format public key blob: string type, then opaque key material. */
export function keyBlob(type: string, material: Uint8Array): Buffer {
  const t = Buffer.from(type);
  const out = Buffer.alloc(8 + t.length + material.length);
  out.writeUInt32BE(t.length, 0);
  t.copy(out, 4);
  out.writeUInt32BE(material.length, 4 + t.length);
  Buffer.from(material).copy(out, 8 + t.length);
  return out;
}

const KEY_TYPES = ["ssh-ed25519", "ssh-rsa", "ecdsa-sha2-nistp256", "ssh-dss"];

/** A well-formed known_hosts line and the parts it was made of. */
export const knownHostsLine = fc
  .record({
    marker: fc.constantFrom("", "@revoked ", "@cert-authority "),
    hosts: fc.oneof(
      fc
        .array(fc.constantFrom("web1", "*.example.com", "!bad", "[h]:2222", "10.0.0.1", "h?"), {
          minLength: 1,
          maxLength: 3,
        })
        .map((patterns) => patterns.join(",")),
      fc
        .tuple(
          fc.uint8Array({ minLength: 20, maxLength: 20 }),
          fc.uint8Array({ minLength: 20, maxLength: 20 }),
        )
        .map(
          ([salt, hash]) =>
            `|1|${Buffer.from(salt).toString("base64")}|${Buffer.from(hash).toString("base64")}`,
        ),
    ),
    type: fc.constantFrom(...KEY_TYPES),
    material: fc.uint8Array({ minLength: 1, maxLength: 64 }),
    comment: fc.constantFrom("", " user@host", " a comment with spaces"),
  })
  .map(({ marker, hosts, type, material, comment }) => ({
    text: `${marker}${hosts} ${type} ${keyBlob(type, material).toString("base64")}${comment}`,
    blob: keyBlob(type, material),
    type,
  }));

/** Damage done to a known_hosts line: junk in the base64, bad hashed fields, missing fields … */
export const knownHostsDamage = fc.oneof(
  fc.constantFrom(
    (l: string) => l.replace(/ (AAAA[^ ]*)/, " $1!!"),
    (l: string) => l.replace(/ (AAAA[^ ]*)/, " $1*"),
    (l: string) => l.replace(/ AAAA([^ ]*)/, " AAAA$1A"),
    (l: string) => l.replace(/ (AAAA[^ ]*)=*/, " $1"),
    (l: string) => l.replace(/ AAAA[^ ]*/, " AAAA"),
    (l: string) => l.replace(/ AAAA[^ ]*/, " ===="),
    (l: string) => l.replace(/\|1\|[^|]*\|/, "|1|!!notbase64!!|"),
    (l: string) => l.replace(/\|1\|[^|]*\|/, "|1|c2FsdA==|"),
    (l: string) => l.replace(/\|1\|([^|]*)\|/, "|1|$1|x|"),
    (l: string) => l.replace(/\|1\|/, "|2|"),
    (l: string) => l.replace(/ssh-[a-z0-9]+/, "ssh-other"),
    (l: string) => l.replace(/ssh-ed25519|ssh-rsa/, "ecdsa-sha2-nistp256"),
    (l: string) => l.split(" ").slice(0, 2).join(" "),
    (l: string) => `@bogus ${l}`,
    (_line: string) => "@revoked",
  ),
  fc.tuple(fc.nat(), fc.string({ unit: "binary", minLength: 1, maxLength: 3 })).map(
    ([at, text]) =>
      (l: string) =>
        l.slice(0, at % (l.length + 1)) + text + l.slice(at % (l.length + 1)),
  ),
);
