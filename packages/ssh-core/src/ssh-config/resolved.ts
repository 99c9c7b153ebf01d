/**
 * The result of a resolution: every `ssh -G` line (`options`, lower-case key → values in
 * printed order), typed getters for the options the SSH client uses, and `explain()`.
 */
import { parseProxyJump, type UserHostPort } from "./destination.js";
import type { DumpEntry } from "./dump.js";

export type StrictHostKeyChecking = "yes" | "no" | "accept-new" | "ask";

export interface ExplainEntry {
  key: string;
  value: string;
  /** The file that set the value, or "(default)" / "(command line)". */
  file: string;
  /** 1-based line in `file`; 0 for defaults and the command line. */
  line: number;
}

export class ResolvedSshConfig {
  /** Lower-case key → values, exactly as `ssh -G` prints them (multi-value keys keep their order). */
  readonly options: ReadonlyMap<string, readonly string[]>;
  /** Messages ssh would print on stderr without failing (unsupported options, missing agent socket). */
  readonly warnings: readonly string[];

  constructor(
    private readonly entries: readonly DumpEntry[],
    /** The destination host as given, before Hostname and canonicalisation. */
    readonly originalHost: string,
    warnings: readonly string[] = [],
    private readonly keyPaths?: { identityFiles: string[]; certificateFiles: string[] },
  ) {
    const map = new Map<string, string[]>();
    for (const { key, value } of entries) {
      const list = map.get(key);
      if (list === undefined) map.set(key, [value]);
      else list.push(value);
    }
    this.options = map;
    this.warnings = warnings;
  }

  /** The `ssh -G` listing, one `key value` line per entry. */
  toLines(): string[] {
    return this.entries.map(({ key, value }) => `${key} ${value}`);
  }

  /** Which file and line set each printed value. */
  explain(): ExplainEntry[] {
    return this.entries.map(({ key, value, file, line }) => ({ key, value, file, line }));
  }

  /** Where the (first) value of `key` came from, without building the whole `explain()` list. */
  origin(key: string): { file: string; line: number } | undefined {
    const lower = key.toLowerCase();
    const entry = this.entries.find((e) => e.key === lower);
    return entry && { file: entry.file, line: entry.line };
  }

  get(key: string): string | undefined {
    return this.options.get(key.toLowerCase())?.[0];
  }

  getAll(key: string): string[] {
    return [...(this.options.get(key.toLowerCase()) ?? [])];
  }

  private flag(key: string): boolean {
    const value = this.get(key);
    return value === "yes" || value === "true";
  }

  private int(key: string): number {
    return Number(this.get(key) ?? "0");
  }

  private optional(key: string): string | null {
    return this.get(key) ?? null;
  }

  private split(key: string): string[] {
    const value = this.get(key);
    return value === undefined || value === "none" ? [] : value.split(" ");
  }

  get hostname(): string {
    return this.get("hostname") ?? this.originalHost;
  }
  get user(): string {
    return this.get("user") ?? "";
  }
  get port(): number {
    return this.int("port");
  }
  get identityFiles(): string[] {
    return this.getAll("identityfile");
  }
  get identitiesOnly(): boolean {
    return this.flag("identitiesonly");
  }
  get certificateFiles(): string[] {
    return this.getAll("certificatefile");
  }
  /**
   * IdentityFile paths as ssh opens them: `~`, `%h`, `%r`, `%u`, `%d`, `%C`… and `${VAR}` expanded
   * (`identityFiles` keeps them as `ssh -G` prints them).
   */
  get identityFilePaths(): string[] {
    return this.keyPaths?.identityFiles ?? this.identityFiles;
  }
  /** CertificateFile paths as ssh opens them (expanded like {@link identityFilePaths}). */
  get certificateFilePaths(): string[] {
    return this.keyPaths?.certificateFiles ?? this.certificateFiles;
  }
  get proxyJump(): string | null {
    return this.optional("proxyjump");
  }
  /** ProxyJump hops in connection order (the first is dialled first); [] without ProxyJump. */
  get proxyJumpHops(): UserHostPort[] {
    const value = this.proxyJump;
    return value === null ? [] : parseProxyJump(value);
  }
  get proxyCommand(): string | null {
    return this.optional("proxycommand");
  }
  /** true/false, or an agent socket path. */
  get forwardAgent(): boolean | string {
    const value = this.get("forwardagent") ?? "no";
    if (value === "yes") return true;
    if (value === "no") return false;
    return value;
  }
  /** Seconds; null when unset (`connecttimeout none`). */
  get connectTimeout(): number | null {
    const value = this.get("connecttimeout");
    return value === undefined || value === "none" ? null : Number(value);
  }
  get connectionAttempts(): number {
    return this.int("connectionattempts");
  }
  get serverAliveInterval(): number {
    return this.int("serveraliveinterval");
  }
  get serverAliveCountMax(): number {
    return this.int("serveralivecountmax");
  }
  get strictHostKeyChecking(): StrictHostKeyChecking {
    const value = this.get("stricthostkeychecking");
    if (value === "true") return "yes";
    if (value === "false") return "no";
    return (value ?? "ask") as StrictHostKeyChecking;
  }
  get userKnownHostsFiles(): string[] {
    return this.split("userknownhostsfile");
  }
  get globalKnownHostsFiles(): string[] {
    return this.split("globalknownhostsfile");
  }
  get hostKeyAlias(): string | null {
    return this.optional("hostkeyalias");
  }
  /** SetEnv entries as `NAME=value` strings, in order. */
  get setEnv(): string[] {
    return this.getAll("setenv");
  }
  get sendEnv(): string[] {
    return this.getAll("sendenv");
  }
  get compression(): boolean {
    return this.flag("compression");
  }
  get ciphers(): string[] {
    return (this.get("ciphers") ?? "").split(",").filter(Boolean);
  }
  get kexAlgorithms(): string[] {
    return (this.get("kexalgorithms") ?? "").split(",").filter(Boolean);
  }
  get macs(): string[] {
    return (this.get("macs") ?? "").split(",").filter(Boolean);
  }
  get hostKeyAlgorithms(): string[] {
    return (this.get("hostkeyalgorithms") ?? "").split(",").filter(Boolean);
  }
  get pubkeyAcceptedAlgorithms(): string[] {
    return (this.get("pubkeyacceptedalgorithms") ?? "").split(",").filter(Boolean);
  }
  get identityAgent(): string | null {
    return this.optional("identityagent");
  }
  get batchMode(): boolean {
    return this.flag("batchmode");
  }
  get passwordAuthentication(): boolean {
    return this.flag("passwordauthentication");
  }
  get kbdInteractiveAuthentication(): boolean {
    return this.flag("kbdinteractiveauthentication");
  }
  get pubkeyAuthentication(): boolean {
    return this.get("pubkeyauthentication") !== "no" && this.get("pubkeyauthentication") !== "false";
  }
  get preferredAuthentications(): string[] | null {
    const value = this.get("preferredauthentications");
    return value === undefined ? null : value.split(",");
  }
  /** `localforward` values as printed, e.g. "[127.0.0.1]:8080 [db]:5432". */
  get localForward(): string[] {
    return this.getAll("localforward");
  }
  get remoteForward(): string[] {
    return this.getAll("remoteforward");
  }
  get dynamicForward(): string[] {
    return this.getAll("dynamicforward");
  }
  get addKeysToAgent(): string {
    return this.get("addkeystoagent") ?? "false";
  }
  get requestTTY(): "auto" | "yes" | "no" | "force" {
    const value = this.get("requesttty");
    if (value === "true") return "yes";
    if (value === "false") return "no";
    return (value ?? "auto") as "auto" | "yes" | "no" | "force";
  }
  get remoteCommand(): string | null {
    return this.optional("remotecommand");
  }
  get controlPath(): string | null {
    return this.optional("controlpath");
  }
  get bindAddress(): string | null {
    return this.optional("bindaddress");
  }
  get addressFamily(): "any" | "inet" | "inet6" {
    return (this.get("addressfamily") ?? "any") as "any" | "inet" | "inet6";
  }
  get tcpKeepAlive(): boolean {
    return this.flag("tcpkeepalive");
  }
  get rekeyLimit(): { bytes: number; seconds: number } {
    const [bytes, seconds] = (this.get("rekeylimit") ?? "0 0").split(" ");
    return { bytes: Number(bytes), seconds: Number(seconds) };
  }
}
