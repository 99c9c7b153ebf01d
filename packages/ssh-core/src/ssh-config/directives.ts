/**
 * Over 400 lines on purpose: a table of every ssh_config keyword OpenSSH knows, with its argument rule; splitting the table would scatter one lookup.
 *
 * One ssh_config directive: keyword lookup, argument checks and OpenSSH's error texts, and the
 * first-value-wins / accumulate rules for each keyword.
 */
import { ALL_CIPHERS, ALL_KEX, ALL_MACS, assembleNames, keyNamesValid, namesValid } from "./algorithms.js";
import { domainError, parseHop } from "./destination.js";
import { LineError } from "./errors.js";
import { forwardsEqual, parseForward } from "./forward.js";
import { hasJumpHost, type OptionStore, type Origin } from "./options.js";
import { matchPattern, matchPatternList } from "./patterns.js";
import { dollarSyntaxValid, expand } from "./tokens.js";
import {
  ADDRESS_FAMILY,
  CANONICALIZE_HOSTNAME,
  COMPRESSION,
  CONTROL_MASTER,
  FLAG,
  LOG_FACILITIES,
  LOG_LEVELS,
  type Multistate,
  multistateValue,
  PUBKEY_AUTH,
  parseInteger,
  parseIpqos,
  parseScaled,
  parseTime,
  parseTunnelDevice,
  REQUEST_TTY,
  SESSION_TYPE,
  STRICT_HOSTKEY,
  TUNNEL,
  YES_NO_ASK,
  YES_NO_ASK_CONFIRM,
} from "./values.js";

export interface DirectiveContext {
  readonly store: OptionStore;
  readonly keyword: string;
  readonly file: string;
  readonly line: number;
  /** Whether values on this line apply (inside a matching Host/Match block). */
  active: boolean;
  /** Arguments as split by argv_split; handlers consume them with `next()`. */
  readonly args: string[];
  /** The raw text after the keyword (ProxyCommand, Match and friends read it directly). */
  readonly raw: string;
  readonly userConfig: boolean;
  readonly commandLine: boolean;
  readonly env: Readonly<Record<string, string | undefined>>;
  next(): string | undefined;
  /** An error that is printed but does not count as a bad option. */
  warn(message: string): void;
  /** Host/Match/Include are handled by the reader, which knows the host being resolved. */
  block(kind: "host" | "match" | "include"): void;
}

type Handler = (ctx: DirectiveContext) => void;

function where(ctx: DirectiveContext): string {
  return `${ctx.file} line ${ctx.line}`;
}

function origin(ctx: DirectiveContext): Origin {
  return { file: ctx.file, line: ctx.line };
}

function fail(ctx: DirectiveContext, text: string): never {
  throw new LineError(`${where(ctx)}: ${text}`);
}

function required(ctx: DirectiveContext): string {
  const arg = ctx.next();
  if (arg === undefined || arg === "") fail(ctx, "Missing argument.");
  return arg;
}

function multistate(key: string, table: Multistate): Handler {
  return (ctx) => {
    const arg = ctx.next();
    if (arg === undefined || arg === "") ctx.warn(`${where(ctx)}: missing argument.`);
    const value = arg === undefined ? undefined : multistateValue(arg, table);
    if (value === undefined) fail(ctx, `unsupported option "${arg ?? "(null)"}".`);
    if (ctx.active) ctx.store.setIfUnset(key, value, origin(ctx));
  };
}

const flag = (key: string): Handler => multistate(key, FLAG);

function time(key: string): Handler {
  return (ctx) => {
    const arg = ctx.next();
    if (arg === undefined || arg === "") fail(ctx, "missing time value.");
    const value = arg === "none" ? -1 : parseTime(arg);
    if (value === undefined) fail(ctx, "invalid time value.");
    if (ctx.active) ctx.store.setIfUnset(key, value, origin(ctx));
  };
}

function integer(key: string): Handler {
  return (ctx) => {
    const parsed = parseInteger(ctx.next());
    if ("error" in parsed) fail(ctx, `integer value ${parsed.error}.`);
    if (ctx.active) ctx.store.setIfUnset(key, parsed.value, origin(ctx));
  };
}

function string(key: string): Handler {
  return (ctx) => {
    const arg = required(ctx);
    if (ctx.active) ctx.store.setIfUnset(key, arg, origin(ctx));
  };
}

/** Commands keep the raw remainder of the line, quotes and all. */
function command(key: string): Handler {
  return (ctx) => {
    const text = ctx.raw.replace(/^[ \t\r\n=]+/, "");
    ctx.args.length = 0;
    if (ctx.active) ctx.store.setIfUnset(key, text, origin(ctx));
  };
}

function algorithms(
  key: string,
  valid: (list: string) => boolean,
  message: (arg: string) => string,
): Handler {
  return (ctx) => {
    const arg = required(ctx);
    const body = arg[0] === "+" || arg[0] === "^" ? arg.slice(1) : arg;
    if (arg[0] !== "-" && !valid(body)) fail(ctx, message(arg));
    if (ctx.active) ctx.store.setIfUnset(key, arg, origin(ctx));
  };
}

const keyTypes = (key: string): Handler => algorithms(key, keyNamesValid, (arg) => `Bad key types '${arg}'.`);

interface ListOnceOptions {
  /** An error message for a bad argument, checked on every line (active or not), or null. */
  check?: (arg: string) => string | null;
  /** The message when more than `max` entries are given. */
  tooMany?: string;
  /** How an argument is stored. */
  value?: (arg: string) => string;
}

/** Lists set as a whole by their first active line (known-hosts files, LogVerbose, CanonicalDomains …). */
function listOnce(key: string, max: number, options: ListOnceOptions = {}): Handler {
  return (ctx) => {
    const list = ctx.store.list(key);
    const unset = list.length === 0;
    let count = 0;
    for (let arg = ctx.next(); arg !== undefined; arg = ctx.next()) {
      if (arg === "") fail(ctx, `keyword ${ctx.keyword} empty argument`);
      if (arg.toLowerCase() === "none" && (count > 0 || ctx.args.length > 0)) {
        fail(ctx, `keyword ${ctx.keyword} "none" argument must appear alone.`);
      }
      count++;
      const error = options.check?.(arg) ?? null;
      if (error !== null) fail(ctx, error);
      if (ctx.active && unset) {
        if (list.length >= max) fail(ctx, options.tooMany ?? `too many ${ctx.keyword} entries.`);
        list.push({ ...origin(ctx), value: options.value ? options.value(arg) : arg });
      }
    }
  };
}

function identityLike(key: string, what: string): Handler {
  return (ctx) => {
    const arg = required(ctx);
    if (!ctx.active) return;
    const list = ctx.store.list(key);
    if (list.length >= 100) fail(ctx, `Too many ${what} specified (max 100).`);
    // Duplicates are dropped (same path from the same kind of file).
    if (list.some((item) => item.value === arg && item.userProvided === ctx.userConfig)) return;
    list.push({ ...origin(ctx), value: arg, userProvided: ctx.userConfig });
  };
}

function forward(kind: "local" | "remote" | "dynamic"): Handler {
  return (ctx) => {
    const arg = required(ctx);
    let dynamic = kind === "dynamic";
    const remote = kind === "remote";
    let spec = arg;
    if (!dynamic) {
      const target = ctx.next();
      if (target === undefined || target === "") {
        if (remote) dynamic = true;
        else fail(ctx, "Missing target argument.");
      } else spec = `${arg}:${target}`;
    }
    let expanded: string;
    try {
      expanded = expand(spec, null, ctx.env);
    } catch {
      fail(ctx, "Bad forwarding specification.");
    }
    const fwd = parseForward(expanded, dynamic, remote);
    if (fwd === null) fail(ctx, "Bad forwarding specification.");
    if (!ctx.active) return;
    const list = remote ? ctx.store.remoteForwards : ctx.store.localForwards;
    if (!list.some((item) => forwardsEqual(item.value, fwd))) list.push({ ...origin(ctx), value: fwd });
  };
}

function agentPath(ctx: DirectiveContext, key: string, arg: string): void {
  if (!dollarSyntaxValid(arg)) fail(ctx, `Invalid environment expansion ${arg}.`);
  if (arg.startsWith("$") && arg[1] !== "{" && !/^[A-Za-z_][A-Za-z0-9_]*$/.test(arg.slice(1))) {
    fail(ctx, `Invalid environment name ${arg}.`);
  }
  if (ctx.active) ctx.store.setIfUnset(key, arg, origin(ctx));
}

const handlers: Record<string, Handler> = {
  connecttimeout: time("connecttimeout"),
  forwardagent: (ctx) => {
    const arg = ctx.next();
    if (arg === undefined || arg === "") fail(ctx, "missing argument.");
    const value = multistateValue(arg, FLAG);
    if (value !== undefined) {
      if (ctx.active) ctx.store.setIfUnset("forwardagent", value, origin(ctx));
      return;
    }
    if (ctx.active) ctx.store.setIfUnset("forwardagent", 1, origin(ctx));
    agentPath(ctx, "forwardagent.path", arg);
  },
  forwardx11: flag("forwardx11"),
  forwardx11trusted: flag("forwardx11trusted"),
  forwardx11timeout: time("forwardx11timeout"),
  gatewayports: flag("gatewayports"),
  exitonforwardfailure: flag("exitonforwardfailure"),
  passwordauthentication: flag("passwordauthentication"),
  kbdinteractiveauthentication: flag("kbdinteractiveauthentication"),
  kbdinteractivedevices: string("kbdinteractivedevices"),
  pubkeyauthentication: multistate("pubkeyauthentication", PUBKEY_AUTH),
  hostbasedauthentication: flag("hostbasedauthentication"),
  gssapiauthentication: flag("gssapiauthentication"),
  gssapikeyexchange: flag("gssapikeyexchange"),
  gssapidelegatecredentials: flag("gssapidelegatecredentials"),
  gssapitrustdns: flag("gssapitrustdns"),
  gssapirenewalforcesrekey: flag("gssapirenewalforcesrekey"),
  gssapiclientidentity: string("gssapiclientidentity"),
  gssapiserveridentity: string("gssapiserveridentity"),
  gssapikexalgorithms: string("gssapikexalgorithms"),
  batchmode: flag("batchmode"),
  checkhostip: flag("checkhostip"),
  verifyhostkeydns: multistate("verifyhostkeydns", YES_NO_ASK),
  stricthostkeychecking: multistate("stricthostkeychecking", STRICT_HOSTKEY),
  compression: multistate("compression", COMPRESSION),
  tcpkeepalive: flag("tcpkeepalive"),
  nohostauthenticationforlocalhost: flag("nohostauthenticationforlocalhost"),
  numberofpasswordprompts: integer("numberofpasswordprompts"),
  rekeylimit: (ctx) => {
    const arg = required(ctx);
    let bytes = 0;
    if (arg !== "default") {
      const parsed = parseScaled(arg);
      if (parsed === undefined) fail(ctx, `Bad number '${arg}': Invalid argument`);
      if (parsed !== 0 && parsed < 16) fail(ctx, "RekeyLimit too small");
      bytes = parsed;
    }
    if (ctx.active) ctx.store.setIfUnset("rekeylimit", bytes, origin(ctx));
    if (ctx.args.length > 0) {
      if (ctx.args[0] === "none") {
        ctx.next();
        return;
      }
      time("rekeylimit.interval")(ctx);
    }
  },
  identityfile: identityLike("identityfile", "identity files"),
  certificatefile: identityLike("certificatefile", "certificate files"),
  xauthlocation: string("xauthlocation"),
  user: string("user"),
  globalknownhostsfile: listOnce("globalknownhostsfile", 32),
  userknownhostsfile: listOnce("userknownhostsfile", 32),
  hostname: string("hostname"),
  hostkeyalias: string("hostkeyalias"),
  preferredauthentications: string("preferredauthentications"),
  bindaddress: string("bindaddress"),
  bindinterface: string("bindinterface"),
  pkcs11provider: string("pkcs11provider"),
  securitykeyprovider: string("securitykeyprovider"),
  knownhostscommand: command("knownhostscommand"),
  proxycommand: (ctx) => {
    // A ProxyJump seen earlier wins: the ProxyCommand is then parsed and dropped. `ProxyJump none`
    // does not: OpenSSH still takes a ProxyCommand from a later block.
    const text = ctx.raw.replace(/^[ \t\r\n=]+/, "");
    ctx.args.length = 0;
    if (ctx.active && !hasJumpHost(ctx.store)) ctx.store.setIfUnset("proxycommand", text, origin(ctx));
  },
  proxyjump: (ctx) => {
    const first = ctx.args[0] ?? "";
    ctx.args.length = 0;
    const hash = first.indexOf("#");
    const text = (hash === -1 ? first : first.slice(0, hash)).trimEnd();
    const active = ctx.active && !ctx.store.has("proxycommand") && ctx.store.jump === undefined;
    if (text.toLowerCase() === "none") {
      if (active)
        ctx.store.jump = { ...origin(ctx), value: { user: null, host: "none", port: 0, extra: null } };
      return;
    }
    const hops = text.split(",");
    const parsed = hops.map((hop) => parseHop(hop));
    if (parsed.some((hop) => hop === null))
      fail(ctx, `Invalid ProxyJump "${ctx.raw.replace(/^[ \t\r\n=]+/, "")}"`);
    if (!active) return;
    const last = parsed[parsed.length - 1]!;
    const comma = text.lastIndexOf(",");
    ctx.store.jump = {
      ...origin(ctx),
      value: {
        user: last.user ?? null,
        host: last.host,
        port: last.port ?? -1,
        extra: comma > 0 ? text.slice(0, comma) : null,
      },
    };
    ctx.store.setIfUnset("proxycommand", "none", origin(ctx));
  },
  port: (ctx) => {
    const arg = required(ctx);
    const value = /^[0-9]+$/.test(arg) && Number(arg) <= 65535 ? Number(arg) : -1;
    if (value <= 0) fail(ctx, `Bad port '${arg}'.`);
    if (ctx.active) ctx.store.setIfUnset("port", value, origin(ctx));
  },
  connectionattempts: integer("connectionattempts"),
  ciphers: algorithms(
    "ciphers",
    (list) => namesValid(list, ALL_CIPHERS),
    (arg) => `Bad SSH2 cipher spec '${arg}'.`,
  ),
  macs: algorithms(
    "macs",
    (list) => namesValid(list, ALL_MACS),
    (arg) => `Bad SSH2 MAC spec '${arg}'.`,
  ),
  kexalgorithms: algorithms(
    "kexalgorithms",
    (list) => namesValid(list, ALL_KEX),
    (arg) => `Bad SSH2 KexAlgorithms '${arg}'.`,
  ),
  hostkeyalgorithms: keyTypes("hostkeyalgorithms"),
  casignaturealgorithms: keyTypes("casignaturealgorithms"),
  hostbasedacceptedalgorithms: keyTypes("hostbasedacceptedalgorithms"),
  pubkeyacceptedalgorithms: keyTypes("pubkeyacceptedalgorithms"),
  loglevel: (ctx) => {
    const arg = ctx.next();
    const value =
      arg === undefined
        ? undefined
        : multistateValue(
            arg.toUpperCase(),
            LOG_LEVELS.map(([n, v]) => [n.toLowerCase(), v] as const),
          );
    if (value === undefined) fail(ctx, `unsupported log level '${arg ?? "<NONE>"}'`);
    if (ctx.active) ctx.store.setIfUnset("loglevel", value, origin(ctx));
  },
  syslogfacility: (ctx) => {
    const arg = ctx.next();
    const name = LOG_FACILITIES.find((f) => f.toLowerCase() === arg?.toLowerCase());
    if (name === undefined) fail(ctx, `unsupported log facility '${arg ?? "<NONE>"}'`);
    ctx.store.setIfUnset("syslogfacility", name, origin(ctx));
  },
  logverbose: listOnce("logverbose", Number.MAX_SAFE_INTEGER),
  localforward: forward("local"),
  remoteforward: forward("remote"),
  dynamicforward: forward("dynamic"),
  permitremoteopen: (ctx) => {
    const list = ctx.store.list("permitremoteopen");
    const unset = list.length === 0;
    const first = ctx.args[0];
    if (first === undefined || first === "") fail(ctx, "missing permitremoteopen specification");
    if (first === "any" || first === "none") {
      ctx.next();
      if (ctx.active && unset) list.push({ ...origin(ctx), value: first });
      return;
    }
    for (let arg = ctx.next(); arg !== undefined; arg = ctx.next()) {
      const colon = arg.lastIndexOf(":");
      const port = colon === -1 ? undefined : arg.slice(colon + 1);
      if (colon <= 0) fail(ctx, "missing host in permitremoteopen");
      if (
        port !== "*" &&
        !(port !== undefined && /^\d+$/.test(port) && Number(port) > 0 && Number(port) <= 65535)
      ) {
        fail(ctx, "bad port number in permitremoteopen");
      }
      if (ctx.active && unset) list.push({ ...origin(ctx), value: arg });
    }
  },
  clearallforwardings: flag("clearallforwardings"),
  host: (ctx) => ctx.block("host"),
  match: (ctx) => ctx.block("match"),
  include: (ctx) => ctx.block("include"),
  escapechar: (ctx) => {
    const arg = required(ctx);
    let value: number;
    if (arg === "none") value = -2;
    else if (arg.length === 1) value = arg.charCodeAt(0);
    else if (arg.length === 2 && arg[0] === "^" && arg.charCodeAt(1) >= 64 && arg.charCodeAt(1) < 128) {
      value = arg.charCodeAt(1) & 31;
    } else fail(ctx, "Bad escape character.");
    if (ctx.active) ctx.store.setIfUnset("escapechar", value, origin(ctx));
  },
  addressfamily: multistate("addressfamily", ADDRESS_FAMILY),
  enablesshkeysign: flag("enablesshkeysign"),
  identitiesonly: flag("identitiesonly"),
  serveraliveinterval: time("serveraliveinterval"),
  serveralivecountmax: integer("serveralivecountmax"),
  sendenv: (ctx) => {
    const list = ctx.store.list("sendenv");
    for (let arg = ctx.next(); arg !== undefined; arg = ctx.next()) {
      if (arg === "" || arg.includes("=")) fail(ctx, "Invalid environment name.");
      if (!ctx.active) continue;
      if (arg.startsWith("-")) {
        const pattern = arg.slice(1);
        ctx.store.replaceList(
          "sendenv",
          list.filter((item) => !matchPattern(item.value, pattern)),
        );
        continue;
      }
      ctx.store.list("sendenv").push({ ...origin(ctx), value: arg });
    }
  },
  setenv: (ctx) => {
    const list = ctx.store.list("setenv");
    const alreadySet = list.length !== 0;
    for (let arg = ctx.next(); arg !== undefined; arg = ctx.next()) {
      if (!arg.includes("=")) fail(ctx, "Invalid SetEnv.");
      if (!ctx.active || alreadySet) continue;
      const name = arg.slice(0, arg.indexOf("="));
      if (list.some((item) => item.value.slice(0, item.value.indexOf("=")) === name)) continue;
      list.push({ ...origin(ctx), value: arg });
    }
  },
  controlpath: string("controlpath"),
  controlmaster: multistate("controlmaster", CONTROL_MASTER),
  controlpersist: (ctx) => {
    const arg = ctx.next();
    if (arg === undefined || arg === "") fail(ctx, "Missing ControlPersist argument.");
    let value: number;
    let timeout = 0;
    if (arg === "no" || arg === "false") value = 0;
    else if (arg === "yes" || arg === "true") value = 1;
    else {
      const t = parseTime(arg);
      if (t === undefined) fail(ctx, "Bad ControlPersist argument.");
      value = 1;
      timeout = t;
    }
    if (ctx.active && ctx.store.setIfUnset("controlpersist", value, origin(ctx))) {
      ctx.store.set("controlpersist.timeout", timeout, origin(ctx));
    }
  },
  hashknownhosts: flag("hashknownhosts"),
  tunnel: multistate("tunnel", TUNNEL),
  tunneldevice: (ctx) => {
    const arg = required(ctx);
    const parsed = parseTunnelDevice(arg);
    if (parsed === undefined) fail(ctx, "Bad tun device.");
    if (ctx.active && ctx.store.setIfUnset("tunneldevice.local", parsed.local, origin(ctx))) {
      ctx.store.set("tunneldevice.remote", parsed.remote, origin(ctx));
    }
  },
  localcommand: command("localcommand"),
  permitlocalcommand: flag("permitlocalcommand"),
  remotecommand: command("remotecommand"),
  visualhostkey: flag("visualhostkey"),
  ipqos: (ctx) => {
    const first = ctx.next();
    const interactive = parseIpqos(first);
    if (interactive === undefined) fail(ctx, `Bad IPQoS value: ${first ?? "(null)"}`);
    const second = ctx.next();
    const bulk = second === undefined ? interactive : parseIpqos(second);
    if (bulk === undefined) fail(ctx, `Bad IPQoS value: ${second}`);
    if (ctx.active && ctx.store.setIfUnset("ipqos.interactive", interactive, origin(ctx))) {
      ctx.store.set("ipqos.bulk", bulk, origin(ctx));
    }
  },
  requesttty: multistate("requesttty", REQUEST_TTY),
  sessiontype: multistate("sessiontype", SESSION_TYPE),
  stdinnull: flag("stdinnull"),
  forkafterauthentication: flag("forkafterauthentication"),
  ignoreunknown: string("ignoreunknown"),
  proxyusefdpass: flag("proxyusefdpass"),
  canonicaldomains: listOnce("canonicaldomains", 32, {
    check: domainError,
    tooMany: "too many hostname suffixes.",
    value: (arg) => arg.toLowerCase().replace(/\.$/, ""),
  }),
  canonicalizepermittedcnames: (ctx) => {
    const list = ctx.store.list("canonicalizepermittedcnames");
    const unset = list.length === 0;
    let count = 0;
    for (let arg = ctx.next(); arg !== undefined; arg = ctx.next()) {
      let entry: string;
      if (arg.toLowerCase() === "none") {
        if (count > 0 || ctx.args.length > 0) {
          fail(ctx, `keyword ${ctx.keyword} "none" argument must appear alone.`);
        }
        entry = `${arg}:`;
      } else if (arg === "*") entry = "*:*";
      else {
        const lower = arg.toLowerCase();
        const colon = lower.indexOf(":");
        if (colon === -1 || colon === lower.length - 1) fail(ctx, `Invalid permitted CNAME "${lower}"`);
        entry = lower;
      }
      count++;
      if (!ctx.active || !unset) continue;
      if (list.length >= 32) fail(ctx, "too many permitted CNAMEs.");
      list.push({ ...origin(ctx), value: entry });
    }
  },
  canonicalizehostname: multistate("canonicalizehostname", CANONICALIZE_HOSTNAME),
  canonicalizemaxdots: integer("canonicalizemaxdots"),
  canonicalizefallbacklocal: flag("canonicalizefallbacklocal"),
  streamlocalbindmask: (ctx) => {
    const arg = ctx.next();
    if (arg === undefined || arg === "") fail(ctx, "Missing StreamLocalBindMask argument.");
    const m = /^[ \t]*([+-]?[0-7]+)/.exec(arg);
    const value = m === null ? Number.NaN : Number.parseInt(m[1]!, 8);
    if (Number.isNaN(value) || value < 0 || value > 0o777) fail(ctx, "Bad mask.");
    ctx.store.set("streamlocalbindmask", value, origin(ctx));
  },
  streamlocalbindunlink: flag("streamlocalbindunlink"),
  revokedhostkeys: string("revokedhostkeys"),
  fingerprinthash: (ctx) => {
    const arg = required(ctx);
    const value = { md5: "MD5", sha1: "SHA1", sha256: "SHA256", sha384: "SHA384", sha512: "SHA512" }[
      arg.toLowerCase()
    ];
    if (value === undefined || value === "SHA1" || value === "SHA384")
      fail(ctx, `Invalid hash algorithm "${arg}".`);
    if (ctx.active) ctx.store.setIfUnset("fingerprinthash", value, origin(ctx));
  },
  updatehostkeys: multistate("updatehostkeys", YES_NO_ASK),
  addkeystoagent: (ctx) => {
    const arg = ctx.next();
    const arg2 = ctx.next();
    if (arg === undefined || arg === "") ctx.warn(`${where(ctx)}: missing argument.`);
    let value = arg === undefined ? undefined : multistateValue(arg, YES_NO_ASK_CONFIRM);
    let lifespan = 0;
    if (value === 3 && arg2 !== undefined) {
      const t = parseTime(arg2);
      if (t === undefined) fail(ctx, "invalid time value.");
      lifespan = t;
    } else if (value === undefined && arg2 === undefined) {
      const t = arg === undefined ? undefined : parseTime(arg);
      if (t === undefined) fail(ctx, "unsupported option");
      value = 1;
      lifespan = t;
    } else if (value === undefined || arg2 !== undefined) fail(ctx, "unsupported option");
    if (ctx.active && ctx.store.setIfUnset("addkeystoagent", value, origin(ctx))) {
      ctx.store.set("addkeystoagent.lifespan", lifespan, origin(ctx));
    }
  },
  identityagent: (ctx) => agentPath(ctx, "identityagent", required(ctx)),
  requiredrsasize: integer("requiredrsasize"),
  enableescapecommandline: flag("enableescapecommandline"),
};

const aliases: Record<string, string> = {
  challengeresponseauthentication: "kbdinteractiveauthentication",
  skeyauthentication: "kbdinteractiveauthentication",
  tisauthentication: "kbdinteractiveauthentication",
  dsaauthentication: "pubkeyauthentication",
  identityfile2: "identityfile",
  keepalive: "tcpkeepalive",
  smartcarddevice: "pkcs11provider",
  hostbasedkeytypes: "hostbasedacceptedalgorithms",
  pubkeyacceptedkeytypes: "pubkeyacceptedalgorithms",
  protocolkeepalives: "serveraliveinterval",
};

const IGNORED = new Set(["protocol"]);
const DEPRECATED = new Set([
  "cipher",
  "fallbacktorsh",
  "globalknownhostsfile2",
  "rhostsauthentication",
  "userknownhostsfile2",
  "useroaming",
  "usersh",
  "useprivilegedport",
  "setuptimeout",
]);
const UNSUPPORTED = new Set([
  "afstokenpassing",
  "kerberosauthentication",
  "kerberostgtpassing",
  "rsaauthentication",
  "rhostsrsaauthentication",
  "compressionlevel",
]);

export type KeywordKind = "known" | "ignored" | "deprecated" | "unsupported" | "ignored-unknown" | "bad";

/** Canonical keyword name and how to treat it. `ignoreUnknown` is the IgnoreUnknown pattern list. */
export function lookupKeyword(
  keyword: string,
  ignoreUnknown: string | undefined,
): { name: string; kind: KeywordKind } {
  const name = aliases[keyword] ?? keyword;
  if (handlers[name] !== undefined) return { name, kind: "known" };
  if (IGNORED.has(keyword)) return { name, kind: "ignored" };
  if (DEPRECATED.has(keyword)) return { name, kind: "deprecated" };
  if (UNSUPPORTED.has(keyword)) return { name, kind: "unsupported" };
  if (ignoreUnknown !== undefined && matchPatternList(keyword, ignoreUnknown, true) === 1) {
    return { name, kind: "ignored-unknown" };
  }
  return { name, kind: "bad" };
}

export function runDirective(name: string, ctx: DirectiveContext): void {
  handlers[name]!(ctx);
}

export { assembleNames };
