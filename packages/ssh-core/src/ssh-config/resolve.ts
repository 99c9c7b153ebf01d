/**
 * Over 400 lines on purpose: the steps of `ssh -G` stay in one file, in OpenSSH's order, so the order can be read and checked against ssh's.
 *
 * resolveSshConfig(): the `ssh -G` algorithm. Reads -F or the user and system files for the
 * destination, re-reads them for `Match canonical/final` when needed, fills OpenSSH's defaults
 * and expands tokens in the options ssh expands before printing.
 *
 * The work is synchronous (`Match exec` uses spawnSync, as ssh blocks on it too);
 * `resolveSshConfig` wraps it in a promise for callers that prefer one.
 */
import { spawnSync } from "node:child_process";
import { accessSync, constants } from "node:fs";
import { hostname as osHostname, userInfo } from "node:os";
import { dirname } from "node:path";
import { looksLikeAddress, numericAddress } from "./address.js";
import { fillCanonicalizationDefaults, fillDefaults } from "./defaults.js";
import { parseSshUri } from "./destination.js";
import { dumpOptions } from "./dump.js";
import { LineError, SshConfigError, visLog } from "./errors.js";
import { hostsFileResolver } from "./hosts-file.js";
import { connectionHash } from "./match.js";
import { COMMAND_LINE, OptionStore } from "./options.js";
import { processLine, readConfigFile } from "./reader.js";
import type { ExecRunner, LocalIdentity, ResolutionState } from "./resolution-state.js";
import { ResolvedSshConfig } from "./resolved.js";
import { percentDollarExpand, percentExpand, tildeExpand } from "./tokens.js";

export interface ResolveSshConfigOptions {
  /** Destination: `host`, `user@host` or `ssh://user@host:port`. */
  host: string;
  /** Like `ssh -l`: wins over a user in the destination and over config files. */
  user?: string;
  /** Like `ssh -p`. */
  port?: number;
  /** Like `ssh -F`: replaces the user and system files; "none" reads no file at all. */
  configFile?: string;
  /** Default /etc/ssh/ssh_config; relative Includes in it are taken from its directory. */
  systemConfigFile?: string;
  /** Default <homeDir>/.ssh/config. */
  userConfigFile?: string;
  /** Like `ssh -o`: extra directives applied before any file. */
  extraOptions?: string[];
  /** Home directory of the local user (passwd, not $HOME); default os.userInfo().homedir. */
  homeDir?: string;
  /** Local user name; default os.userInfo().username. */
  localUser?: string;
  /** Local host name for %l/%L/%C; default os.hostname(). */
  localHostname?: string;
  /** Environment for ${VAR}, $HOME in Include globs, $SHELL and `Match exec`; default process.env. */
  env?: Readonly<Record<string, string | undefined>>;
  /** Working directory for `Match exec` and relative -F paths; default process.cwd(). */
  cwd?: string;
  /** Name check for CanonicalizeHostname; default: /etc/hosts only (no DNS). */
  resolveHostname?: (name: string) => boolean;
  /** Replace how `Match exec` runs commands (tests, sandboxes). */
  runExec?: ExecRunner;
}

function defaultExec(
  shell: string,
  env: Readonly<Record<string, string | undefined>>,
  cwd: string,
): ExecRunner {
  return (command) => {
    try {
      accessSync(shell, constants.X_OK);
    } catch (error) {
      const reason =
        (error as NodeJS.ErrnoException).code === "ENOENT"
          ? "No such file or directory"
          : "Permission denied";
      throw new SshConfigError("MATCH_EXEC_FAILED", `Shell "${shell}" is not executable: ${reason}`);
    }
    // stderr is captured (not inherited) so callers see it in `warnings`, in order.
    const result = spawnSync(shell, ["-c", command], {
      cwd,
      env: env as NodeJS.ProcessEnv,
      stdio: ["ignore", "ignore", "pipe"],
      encoding: "utf8",
    });
    const stderr = result.stderr ?? "";
    if (result.error !== undefined || result.status === null) return { status: "abnormal", stderr };
    return { status: result.status, stderr };
  };
}

interface Destination {
  host: string;
  user?: string;
  port?: number;
}

function parseDestination(dest: string): Destination {
  const uri = parseSshUri(dest);
  if (uri === null) throw new SshConfigError("INVALID_OPTIONS", `Invalid destination: ${dest}`);
  if (uri !== "not-uri") return uri;
  const at = dest.lastIndexOf("@");
  if (at === -1) return { host: dest };
  if (at === 0) throw new SshConfigError("INVALID_OPTIONS", `Invalid destination: ${dest}`);
  return { user: dest.slice(0, at), host: dest.slice(at + 1) };
}

function readFiles(
  store: OptionStore,
  session: ResolutionState,
  opts: ResolveSshConfigOptions,
  homeDir: string,
): void {
  const config = opts.configFile;
  if (config !== undefined) {
    if (config.toLowerCase() === "none") return;
    const opened = readConfigFile(config, store, session, {
      userConfig: true,
      checkPermissions: false,
      neverMatch: false,
    });
    if (!opened) {
      throw new SshConfigError(
        "CANNOT_OPEN",
        `Can't open user config file ${config}: No such file or directory`,
        {
          file: config,
        },
      );
    }
    return;
  }
  readConfigFile(opts.userConfigFile ?? `${homeDir}/.ssh/config`, store, session, {
    userConfig: true,
    checkPermissions: true,
    neverMatch: false,
  });
  readConfigFile(opts.systemConfigFile ?? "/etc/ssh/ssh_config", store, session, {
    userConfig: false,
    checkPermissions: false,
    neverMatch: false,
  });
}

/** resolve_canonicalize(): the new host name, or undefined when nothing changes (apart from case). */
function canonicalize(
  host: string,
  store: OptionStore,
  resolves: (name: string) => boolean,
): { host: string; numeric: boolean } | undefined {
  const numeric = numericAddress(host);
  if (numeric !== undefined) return { host: numeric, numeric: true };
  if (looksLikeAddress(host)) return undefined;
  const mode = store.num("canonicalizehostname") ?? 0;
  if (mode === 0) return undefined;
  const proxy = store.str("proxycommand");
  const direct = (proxy === undefined || proxy.toLowerCase() === "none") && store.jump === undefined;
  if (!direct && mode !== 2) return undefined;
  const notFound = () => {
    if ((store.num("canonicalizefallbacklocal") ?? 1) === 0) {
      throw new SshConfigError("INVALID_OPTIONS", `ssh: Could not resolve host "${host}"`);
    }
    return undefined;
  };
  if (host.endsWith(".")) return resolves(host) ? { host, numeric: false } : notFound();
  const dots = host.split(".").length - 1;
  if (dots > (store.num("canonicalizemaxdots") ?? 1)) return undefined;
  for (const domain of store.listValues("canonicaldomains")) {
    if (domain.toLowerCase() === "none") break;
    const full = `${host}.${domain}`;
    if (resolves(`${full}.`)) return { host: full, numeric: false };
  }
  return notFound();
}

export function resolveSshConfigSync(opts: ResolveSshConfigOptions): ResolvedSshConfig {
  const log: string[] = [];
  try {
    return resolveWithLog(opts, log);
  } catch (error) {
    if (error instanceof SshConfigError) {
      const lines = error.message.split("\n");
      // Bad lines were already logged as they were found; only the closing line is new.
      error.transcript = [
        ...log,
        ...(error.code === "BAD_CONFIGURATION" ? lines.slice(-1) : lines).map(visLog),
      ];
    }
    throw error;
  }
}

function resolveWithLog(opts: ResolveSshConfigOptions, log: string[]): ResolvedSshConfig {
  const info = userInfo();
  const env = opts.env ?? process.env;
  const homeDir = opts.homeDir ?? info.homedir;
  const cwd = opts.cwd ?? process.cwd();
  const local: LocalIdentity = {
    user: opts.localUser ?? info.username,
    uid: info.uid,
    homeDir,
    hostname: opts.localHostname ?? osHostname(),
  };
  const store = new OptionStore();
  const dest = parseDestination(opts.host);
  const session: ResolutionState = {
    local,
    env,
    originalHost: dest.host,
    host: dest.host,
    finalPass: false,
    wantFinalPass: false,
    runExec: opts.runExec ?? defaultExec(env.SHELL ?? "/bin/sh", env, cwd),
    globHome: env.HOME ?? homeDir,
    systemDir: dirname(opts.systemConfigFile ?? "/etc/ssh/ssh_config"),
    warnings: log,
  };

  if (opts.user !== undefined) store.set("user", opts.user, COMMAND_LINE);
  if (opts.port !== undefined) {
    if (!Number.isInteger(opts.port) || opts.port <= 0 || opts.port > 65535) {
      throw new SshConfigError("INVALID_OPTIONS", `Bad port '${opts.port}'`);
    }
    store.set("port", opts.port, COMMAND_LINE);
  }
  for (const option of opts.extraOptions ?? []) {
    try {
      processLine(
        option,
        "command-line",
        0,
        store,
        session,
        { userConfig: true, checkPermissions: false, neverMatch: false },
        { value: true },
        0,
        true,
      );
    } catch (error) {
      if (!(error instanceof LineError)) throw error;
      throw new SshConfigError("BAD_CONFIGURATION", error.message, { file: "command-line", line: 0 });
    }
  }
  if (dest.user !== undefined) store.setIfUnset("user", dest.user, COMMAND_LINE);
  if (dest.port !== undefined) store.setIfUnset("port", dest.port, COMMAND_LINE);

  readFiles(store, session, opts, homeDir);
  fillCanonicalizationDefaults(store);

  let host = dest.host;
  const configuredHostname = store.entry("hostname");
  if (configuredHostname !== undefined) {
    host = percentExpand(String(configuredHostname.value), { h: host });
    store.set("hostname", host, configuredHostname);
  }
  const resolves = opts.resolveHostname ?? hostsFileResolver();
  const canonical = canonicalize(host, store, resolves);
  if (canonical === undefined || !canonical.numeric) host = (canonical?.host ?? host).toLowerCase();
  else host = canonical.host;
  // With CanonicalizePermittedCNAMEs, ssh looks the name up even when nothing was canonicalised.
  const cnames = store.listValues("canonicalizepermittedcnames");
  const permitted = cnames.length > 0 && !(cnames.length === 1 && /^none:$/i.test(cnames[0]!));
  const proxy = store.str("proxycommand");
  const direct = (proxy === undefined || proxy.toLowerCase() === "none") && store.jump === undefined;
  if (canonical === undefined && permitted && (direct || store.num("canonicalizehostname") === 2)) {
    if (!resolves(host) && direct) {
      throw new SshConfigError(
        "INVALID_OPTIONS",
        `ssh: Could not resolve hostname ${host}: Name or service not known`,
      );
    }
  }

  if ((store.num("canonicalizehostname") ?? 0) !== 0 || session.wantFinalPass) {
    store.set("hostname", host, store.entry("hostname") ?? COMMAND_LINE);
    session.host = host;
    session.finalPass = true;
    readFiles(store, session, opts, homeDir);
  }

  fillDefaults(store);
  const user = store.str("user") ?? local.user;
  store.setIfUnset("user", user, COMMAND_LINE);

  const jump = store.jump?.value;
  if (jump !== undefined) {
    const port = store.num("port") || 22;
    const jumpPort = jump.port <= 0 ? 22 : jump.port;
    if (jump.host === host && port === jumpPort && (jump.user ?? user) === user) {
      throw new SshConfigError("INVALID_OPTIONS", `jumphost loop via ${jump.host}`);
    }
    store.set("proxyusefdpass", 0, store.entry("proxyusefdpass") ?? COMMAND_LINE);
  }
  if ((store.num("port") ?? 0) === 0) store.set("port", 22, store.entry("port") ?? COMMAND_LINE);

  const alias = store.entry("hostkeyalias");
  if (alias !== undefined) store.set("hostkeyalias", String(alias.value).toLowerCase(), alias);
  if (store.num("updatehostkeys") === 2) {
    const entry = store.entry("updatehostkeys")!;
    if (
      (store.num("controlpersist") && store.str("controlpath") !== undefined) ||
      store.str("remotecommand") !== undefined ||
      store.num("requesttty") === 1 ||
      (store.num("loglevel") ?? 3) < 3
    ) {
      store.set("updatehostkeys", 0, entry);
    }
  }
  if ((store.num("connectionattempts") ?? 1) <= 0) {
    throw new SshConfigError("INVALID_OPTIONS", "Invalid number of ConnectionAttempts");
  }

  const keyPaths = expandForPrinting(store, {
    local,
    env,
    host,
    hostArg: dest.host,
    user,
    warnings: session.warnings,
  });
  const entries = dumpOptions({ store, hostArg: dest.host, hostname: host });
  return new ResolvedSshConfig(entries, dest.host, session.warnings, keyPaths);
}

/** Key and certificate paths as ssh opens them (tokens and `~` expanded). */
export interface ExpandedKeyPaths {
  identityFiles: string[];
  certificateFiles: string[];
}

interface ExpandInput {
  local: LocalIdentity;
  env: Readonly<Record<string, string | undefined>>;
  host: string;
  hostArg: string;
  user: string;
  warnings: string[];
}

/**
 * The token expansion ssh performs before `-G` prints. IdentityFile and CertificateFile are printed
 * as written but expanded when ssh loads them (`~`, then `%` tokens and `${VAR}`); those expansions are
 * returned for the client, and a path whose expansion fails is kept as written (ssh would skip it).
 */
function expandForPrinting(store: OptionStore, input: ExpandInput): ExpandedKeyPaths {
  const { local, env, host } = input;
  const port = String(store.num("port") ?? 22);
  const tokens = {
    C: connectionHash(local.hostname, host, port, input.user),
    L: local.hostname.split(".")[0] ?? "",
    i: String(local.uid),
    k: store.str("hostkeyalias") ?? input.hostArg,
    l: local.hostname,
    n: input.hostArg,
    p: port,
    d: local.homeDir,
    h: host,
    r: input.user,
    u: local.user,
  };
  const path = (value: string) => percentDollarExpand(tildeExpand(value, local.homeDir), tokens, env);
  const remote = store.entry("remotecommand");
  if (remote !== undefined) store.set("remotecommand", percentExpand(String(remote.value), tokens), remote);
  for (const key of ["controlpath", "identityagent", "revokedhostkeys", "forwardagent.path"]) {
    const entry = store.entry(key);
    if (entry !== undefined) store.set(key, path(String(entry.value)), entry);
  }
  const agent = store.str("forwardagent.path");
  if (agent !== undefined) {
    try {
      accessSync(agent);
    } catch {
      input.warnings.push(visLog(`Cannot forward agent socket path "${agent}": No such file or directory`));
    }
  }
  for (const key of ["globalknownhostsfile", "userknownhostsfile"]) {
    const items = store.list(key);
    if (items.length > 0 && items[0]!.value.toLowerCase() === "none") {
      if (items.length > 1) {
        throw new SshConfigError(
          "INVALID_OPTIONS",
          `Invalid ${key === "userknownhostsfile" ? "UserKnownHostsFiles" : "GlobalKnownHostsFiles"}: "none" appears with other entries`,
        );
      }
      store.replaceList(key, []);
    }
  }
  for (const item of store.list("userknownhostsfile")) item.value = path(item.value);
  for (const list of [store.localForwards, store.remoteForwards]) {
    for (const item of list) {
      const f = item.value;
      if (f.listenPath !== null) f.listenPath = percentExpand(f.listenPath, tokens);
      if (f.connectPath !== null) f.connectPath = percentExpand(f.connectPath, tokens);
    }
  }
  const atUse = (value: string) => {
    try {
      return path(value);
    } catch {
      return value;
    }
  };
  return {
    identityFiles: store.list("identityfile").map((item) => atUse(String(item.value))),
    certificateFiles: store.list("certificatefile").map((item) => atUse(String(item.value))),
  };
}

export async function resolveSshConfig(opts: ResolveSshConfigOptions): Promise<ResolvedSshConfig> {
  return resolveSshConfigSync(opts);
}
