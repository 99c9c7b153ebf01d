/**
 * The `ssh -G` listing: key names, value spellings and order exactly as OpenSSH 9.2 (Debian 12)
 * prints them. Each entry also carries the origin of its value for `--explain`.
 */
import {
  ALL_CIPHERS,
  ALL_KEX,
  ALL_KEY_ALGORITHMS,
  ALL_MACS,
  ALL_SIGNATURE_ALGORITHMS,
  assembleNames,
  DEFAULT_CA_SIGNATURE_ALGORITHMS,
  DEFAULT_CIPHERS,
  DEFAULT_KEX,
  DEFAULT_KEY_ALGORITHMS,
  DEFAULT_MACS,
} from "./algorithms.js";
import { formatForward } from "./forward.js";
import { DEFAULT_ORIGIN, type OptionStore, type Origin } from "./options.js";
import {
  ADDRESS_FAMILY,
  CANONICALIZE_HOSTNAME,
  CONTROL_MASTER,
  ipqosName,
  LOG_LEVELS,
  type Multistate,
  multistateName,
  PUBKEY_AUTH,
  REQUEST_TTY,
  SESSION_TYPE,
  STRICT_HOSTKEY,
  TUN_ANY,
  TUNNEL,
  visChar,
  YES_NO_ASK,
  YES_NO_ASK_CONFIRM,
} from "./values.js";

export interface DumpEntry extends Origin {
  key: string;
  value: string;
}

const FORMATTED_FLAGS: readonly (readonly [string, Multistate | null])[] = [
  ["addressfamily", ADDRESS_FAMILY],
  ["batchmode", null],
  ["canonicalizefallbacklocal", null],
  ["canonicalizehostname", CANONICALIZE_HOSTNAME],
  ["checkhostip", null],
  ["compression", null],
  ["controlmaster", CONTROL_MASTER],
  ["enablesshkeysign", null],
  ["clearallforwardings", null],
  ["exitonforwardfailure", null],
  ["fingerprinthash", null],
  ["forwardx11", null],
  ["forwardx11trusted", null],
  ["gatewayports", null],
  ["gssapiauthentication", null],
  ["gssapikeyexchange", null],
  ["gssapidelegatecredentials", null],
  ["gssapitrustdns", null],
  ["gssapirenewalforcesrekey", null],
  ["gssapiclientidentity", null],
  ["gssapiserveridentity", null],
  ["gssapikexalgorithms", null],
  ["hashknownhosts", null],
  ["hostbasedauthentication", null],
  ["identitiesonly", null],
  ["kbdinteractiveauthentication", null],
  ["nohostauthenticationforlocalhost", null],
  ["passwordauthentication", null],
  ["permitlocalcommand", null],
  ["proxyusefdpass", null],
  ["pubkeyauthentication", PUBKEY_AUTH],
  ["requesttty", REQUEST_TTY],
  ["sessiontype", SESSION_TYPE],
  ["stdinnull", null],
  ["forkafterauthentication", null],
  ["streamlocalbindunlink", null],
  ["stricthostkeychecking", STRICT_HOSTKEY],
  ["tcpkeepalive", null],
  ["tunnel", TUNNEL],
  ["verifyhostkeydns", YES_NO_ASK],
  ["visualhostkey", null],
  ["updatehostkeys", YES_NO_ASK],
  ["enableescapecommandline", null],
];

const INTEGERS = [
  "canonicalizemaxdots",
  "connectionattempts",
  "forwardx11timeout",
  "numberofpasswordprompts",
  "serveralivecountmax",
  "serveraliveinterval",
  "requiredrsasize",
];

type Algo = readonly [string, string, readonly string[]];
const ALGORITHMS: Record<string, Algo> = {
  ciphers: [DEFAULT_CIPHERS, "", ALL_CIPHERS],
  macs: [DEFAULT_MACS, "", ALL_MACS],
  kexalgorithms: [DEFAULT_KEX, "", ALL_KEX],
  hostkeyalgorithms: [DEFAULT_KEY_ALGORITHMS, "", ALL_KEY_ALGORITHMS],
  hostbasedacceptedalgorithms: [DEFAULT_KEY_ALGORITHMS, "", ALL_KEY_ALGORITHMS],
  pubkeyacceptedalgorithms: [DEFAULT_KEY_ALGORITHMS, "", ALL_KEY_ALGORITHMS],
  casignaturealgorithms: [DEFAULT_CA_SIGNATURE_ALGORITHMS, "", ALL_SIGNATURE_ALGORITHMS],
};

const STRINGS = [
  "bindaddress",
  "bindinterface",
  "ciphers",
  "controlpath",
  "hostkeyalgorithms",
  "hostkeyalias",
  "hostbasedacceptedalgorithms",
  "identityagent",
  "ignoreunknown",
  "kbdinteractivedevices",
  "kexalgorithms",
  "casignaturealgorithms",
  "localcommand",
  "remotecommand",
  "loglevel",
  "macs",
  "pkcs11provider",
  "securitykeyprovider",
  "preferredauthentications",
  "pubkeyacceptedalgorithms",
  "revokedhostkeys",
  "xauthlocation",
  "knownhostscommand",
];

function fmtFlag(value: number, table: Multistate | null): string {
  if (table !== null) return multistateName(value, table);
  if (value === -1) return "unset";
  return value === 0 ? "no" : value === 1 ? "yes" : "UNKNOWN";
}

export interface DumpInput {
  store: OptionStore;
  /** The destination as typed (first line, `host`). */
  hostArg: string;
  /** The resolved host name (`hostname`). */
  hostname: string;
}

export function dumpOptions({ store, hostArg, hostname }: DumpInput): DumpEntry[] {
  const out: DumpEntry[] = [];
  const origin = (key: string): Origin => {
    const e = store.entry(key);
    return e === undefined ? DEFAULT_ORIGIN : { file: e.file, line: e.line };
  };
  const put = (key: string, value: string, from: Origin = origin(key)) =>
    out.push({ key, value, file: from.file, line: from.line });
  const num = (key: string) => store.num(key) ?? 0;

  put("host", hostArg, { file: "(command line)", line: 0 });
  const user = store.str("user");
  if (user !== undefined) put("user", user);
  put("hostname", hostname, store.has("hostname") ? origin("hostname") : { file: "(command line)", line: 0 });
  put("port", String(num("port")));

  for (const [key, table] of FORMATTED_FLAGS) {
    const entry = store.entry(key);
    if (entry === undefined) continue;
    put(key, typeof entry.value === "string" ? entry.value : fmtFlag(entry.value, table));
  }
  for (const key of INTEGERS) put(key, String(num(key)));
  for (const key of STRINGS) {
    const algo = ALGORITHMS[key];
    if (algo !== undefined) {
      put(key, assembleNames(store.str(key), algo[0], algo[2]));
      continue;
    }
    if (key === "loglevel") {
      put(key, multistateName(num(key), LOG_LEVELS));
      continue;
    }
    const value = store.str(key);
    if (value !== undefined) put(key, value);
  }
  for (const item of store.localForwards) {
    const f = item.value;
    if (f.connectHost !== null && f.connectHost !== "socks") continue;
    put("dynamicforward", formatForward(f, true), item);
  }
  for (const item of store.localForwards) {
    const f = item.value;
    if (f.connectHost === "socks") continue;
    put("localforward", formatForward(f, false), item);
  }
  for (const item of store.remoteForwards) put("remoteforward", formatForward(item.value, false), item);

  const each = (key: string) => {
    for (const item of store.list(key)) put(key, item.value, item);
  };
  const oneLine = (key: string, label = key) => {
    const items = store.list(key);
    const value = items.length === 0 ? "none" : items.map((i) => i.value).join(" ");
    put(label, value, items[0] ?? DEFAULT_ORIGIN);
  };
  each("identityfile");
  oneLine("canonicaldomains");
  each("certificatefile");
  oneLine("globalknownhostsfile");
  oneLine("userknownhostsfile");
  each("sendenv");
  each("setenv");
  oneLine("logverbose");
  const opens = store.list("permitremoteopen");
  if (opens.length === 0) put("permitremoteopen", "any", DEFAULT_ORIGIN);
  else oneLine("permitremoteopen");

  const lifespan = num("addkeystoagent.lifespan");
  if (lifespan <= 0) put("addkeystoagent", multistateName(num("addkeystoagent"), YES_NO_ASK_CONFIRM));
  else put("addkeystoagent", `${num("addkeystoagent") === 3 ? "confirm " : ""}${lifespan}`);

  const agentPath = store.str("forwardagent.path");
  if (agentPath === undefined) put("forwardagent", fmtFlag(num("forwardagent"), null));
  else put("forwardagent", agentPath, origin("forwardagent.path"));

  const timeout = num("connecttimeout");
  put("connecttimeout", timeout === -1 ? "none" : String(timeout));

  const tunLocal = num("tunneldevice.local");
  const tunRemote = num("tunneldevice.remote");
  put(
    "tunneldevice",
    `${tunLocal === TUN_ANY ? "any" : tunLocal}:${tunRemote === TUN_ANY ? "any" : tunRemote}`,
    origin("tunneldevice.local"),
  );

  oneLine("canonicalizepermittedcnames", "canonicalizePermittedcnames");

  const persist = num("controlpersist");
  const persistTimeout = num("controlpersist.timeout");
  put(
    "controlpersist",
    persist === 0 || persistTimeout === 0 ? fmtFlag(persist, null) : String(persistTimeout),
  );

  const escapeChar = num("escapechar");
  put("escapechar", escapeChar === -2 ? "none" : visChar(escapeChar));
  put(
    "ipqos",
    `${ipqosName(num("ipqos.interactive"))} ${ipqosName(num("ipqos.bulk"))}`,
    origin("ipqos.interactive"),
  );
  put("rekeylimit", `${num("rekeylimit")} ${num("rekeylimit.interval")}`);
  put("streamlocalbindmask", `0${num("streamlocalbindmask").toString(8)}`);
  put("syslogfacility", store.str("syslogfacility") ?? "USER");

  const jump = store.jump;
  if (jump === undefined) {
    const command = store.str("proxycommand");
    if (command !== undefined) put("proxycommand", command);
  } else {
    const j = jump.value;
    const bracket = j.host.includes(":") || /^[0-9.]*$/.test(j.host);
    const value =
      (j.extra === null ? "" : `${j.extra},`) +
      (j.user === null ? "" : `${j.user}@`) +
      (bracket ? `[${j.host}]` : j.host) +
      (j.port <= 0 ? "" : `:${j.port}`);
    put("proxyjump", value, jump);
  }
  return out;
}
