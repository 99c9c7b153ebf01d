/**
 * fill_default_options() for OpenSSH 9.2 as packaged by Debian 12 (which adds the GSSAPI options
 * and defaults ForwardX11Trusted to yes and IPQoS to lowdelay/throughput).
 */
import { DEFAULT_ORIGIN, isJumpNone, type OptionStore } from "./options.js";
import { TUN_ANY } from "./values.js";

/**
 * OpenSSH 9's default IdentityFile list, in its order: what `ssh -G` shows when none is configured,
 * and what `SshClient.connect()` tries without `identityFiles`.
 */
export const DEFAULT_IDENTITY_FILES = [
  "~/.ssh/id_rsa",
  "~/.ssh/id_ecdsa",
  "~/.ssh/id_ecdsa_sk",
  "~/.ssh/id_ed25519",
  "~/.ssh/id_ed25519_sk",
  "~/.ssh/id_xmss",
  "~/.ssh/id_dsa",
];

export const DEFAULT_GSSAPI_KEX =
  "gss-group14-sha256-,gss-group16-sha512-,gss-nistp256-sha256-,gss-curve25519-sha256-,gss-group14-sha1-,gss-gex-sha1-";

const NUMERIC_DEFAULTS: Record<string, number> = {
  forwardagent: 0,
  forwardx11: 0,
  forwardx11trusted: 1,
  forwardx11timeout: 1200,
  exitonforwardfailure: 0,
  clearallforwardings: 0,
  gatewayports: 0,
  streamlocalbindmask: 0o177,
  streamlocalbindunlink: 0,
  pubkeyauthentication: 3,
  gssapiauthentication: 0,
  gssapikeyexchange: 0,
  gssapidelegatecredentials: 0,
  gssapitrustdns: 0,
  gssapirenewalforcesrekey: 0,
  passwordauthentication: 1,
  kbdinteractiveauthentication: 1,
  hostbasedauthentication: 0,
  batchmode: 0,
  checkhostip: 0,
  stricthostkeychecking: 3,
  compression: 0,
  tcpkeepalive: 1,
  port: 0,
  addressfamily: 0,
  connectionattempts: 1,
  numberofpasswordprompts: 3,
  addkeystoagent: 0,
  "addkeystoagent.lifespan": 0,
  escapechar: "~".charCodeAt(0),
  loglevel: 3,
  nohostauthenticationforlocalhost: 0,
  identitiesonly: 0,
  enablesshkeysign: 0,
  rekeylimit: 0,
  "rekeylimit.interval": 0,
  verifyhostkeydns: 0,
  serveraliveinterval: 0,
  serveralivecountmax: 3,
  controlmaster: 0,
  controlpersist: 0,
  "controlpersist.timeout": 0,
  hashknownhosts: 0,
  tunnel: 0,
  "tunneldevice.local": TUN_ANY,
  "tunneldevice.remote": TUN_ANY,
  permitlocalcommand: 0,
  visualhostkey: 0,
  "ipqos.interactive": 0x10,
  "ipqos.bulk": 0x08,
  requesttty: 0,
  sessiontype: 2,
  stdinnull: 0,
  forkafterauthentication: 0,
  proxyusefdpass: 0,
  canonicalizemaxdots: 1,
  canonicalizefallbacklocal: 1,
  canonicalizehostname: 0,
  requiredrsasize: 1024,
  enableescapecommandline: 0,
  connecttimeout: -1,
};

/** The three options canonicalisation needs before the rest of the defaults are applied. */
export function fillCanonicalizationDefaults(store: OptionStore): void {
  store.setIfUnset("canonicalizemaxdots", 1, DEFAULT_ORIGIN);
  store.setIfUnset("canonicalizefallbacklocal", 1, DEFAULT_ORIGIN);
  store.setIfUnset("canonicalizehostname", 0, DEFAULT_ORIGIN);
}

function clearIfNone(store: OptionStore, key: string): void {
  const value = store.str(key);
  if (value !== undefined && value.toLowerCase() === "none") store.delete(key);
}

export function fillDefaults(store: OptionStore): void {
  if (store.num("clearallforwardings") === 1) {
    store.localForwards.length = 0;
    store.remoteForwards.length = 0;
    store.set("tunnel", 0, DEFAULT_ORIGIN);
  }
  // UpdateHostKeys defaults on only when known_hosts is the standard single file and no DNS checks.
  if (!store.has("updatehostkeys")) {
    const files = store.listValues("userknownhostsfile");
    const standard = files.length === 0 || (files.length === 1 && files[0] === "~/.ssh/known_hosts");
    store.set(
      "updatehostkeys",
      (store.num("verifyhostkeydns") ?? 0) <= 0 && standard ? 1 : 0,
      DEFAULT_ORIGIN,
    );
  }
  // Debian: in batch mode the server-alive interval defaults to five minutes.
  if (store.num("batchmode") === 1) store.setIfUnset("serveraliveinterval", 300, DEFAULT_ORIGIN);
  for (const [key, value] of Object.entries(NUMERIC_DEFAULTS)) store.setIfUnset(key, value, DEFAULT_ORIGIN);
  store.setIfUnset("xauthlocation", "/usr/bin/xauth", DEFAULT_ORIGIN);
  store.setIfUnset("syslogfacility", "USER", DEFAULT_ORIGIN);
  store.setIfUnset("fingerprinthash", "SHA256", DEFAULT_ORIGIN);
  store.setIfUnset("gssapikexalgorithms", DEFAULT_GSSAPI_KEX, DEFAULT_ORIGIN);
  store.setIfUnset("securitykeyprovider", "internal", DEFAULT_ORIGIN);
  const identities = store.list("identityfile");
  if (identities.length === 0) {
    for (const value of DEFAULT_IDENTITY_FILES) identities.push({ ...DEFAULT_ORIGIN, value });
  }
  const global = store.list("globalknownhostsfile");
  if (global.length === 0) {
    global.push({ ...DEFAULT_ORIGIN, value: "/etc/ssh/ssh_known_hosts" });
    global.push({ ...DEFAULT_ORIGIN, value: "/etc/ssh/ssh_known_hosts2" });
  }
  const user = store.list("userknownhostsfile");
  if (user.length === 0) {
    user.push({ ...DEFAULT_ORIGIN, value: "~/.ssh/known_hosts" });
    user.push({ ...DEFAULT_ORIGIN, value: "~/.ssh/known_hosts2" });
  }
  for (const key of [
    "localcommand",
    "remotecommand",
    "proxycommand",
    "controlpath",
    "revokedhostkeys",
    "pkcs11provider",
    "securitykeyprovider",
    "knownhostscommand",
  ]) {
    clearIfNone(store, key);
  }
  if (isJumpNone(store.jump?.value)) store.jump = undefined;
  const cnames = store.listValues("canonicalizepermittedcnames");
  if (cnames.length === 1 && cnames[0]!.toLowerCase().startsWith("none:") && cnames[0]!.endsWith(":")) {
    store.replaceList("canonicalizepermittedcnames", []);
  }
}
