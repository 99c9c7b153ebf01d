import { accessSync, constants as fsConstants } from "node:fs";
import { constants } from "node:os";
import { resolve } from "node:path";
import {
  Collection,
  Exit,
  isInvokeError,
  ParseError,
  Program,
  type ProgramOptions,
  promptSecret,
} from "@fabric-ts/invoke";
import type { EarlyDial } from "@fabric-ts/ssh-core/early-dial";
import { FabricConfig } from "../config/fabric-config.js";
import { dialEarly } from "../connection/head-start.js";
import { persistSeconds } from "../connection/warm.js";
import { isFabricError } from "../errors/index.js";
import { interruption } from "../interruption.js";
import { printHostList, type RunHosts, runHosts, wantsHostList } from "../inventory/cli.js";
import { inventoryArgs, withRolesShortFlag } from "../inventory/flags.js";
import { JsonEvents } from "../output/events.js";
import { agentKeyLines } from "./agent-keys.js";
import { fabCoreArgs } from "./fab-args.js";
import { fabHelpEpilog } from "./help-epilog.js";
import { masterLines } from "./masters.js";
import { fabricVersion, versionLines } from "./versions.js";

/**
 * The `fab` command line: Invoke's Program with Fabric's flags (`-H`, `-i`, `-S`, `-t`, the login
 * prompts), tasks run once per host with a Connection each, `fab -H a,b -- cmd` without a fabfile,
 * and beyond Fabric `-P/--parallel`, `--concurrency` and `--json`.
 */
export class Fab extends Program {
  constructor(options: ProgramOptions = {}) {
    super({
      name: "Fabric",
      version: fabricVersion(),
      configClass: FabricConfig,
      binary: "fab",
      binaryNames: ["fab"],
      ...options,
    });
  }

  /** Where the fabfile was found (an inventory file beside it is used by default). */
  protected projectDir: string | undefined;

  protected override coreArgs() {
    return withRolesShortFlag([...super.coreArgs(), ...fabCoreArgs(), ...inventoryArgs()]);
  }

  protected override async loadCollection(): Promise<void> {
    await super.loadCollection();
    this.projectDir = this.collection?.loadedFrom ?? undefined;
  }

  /** `$FABRIC_RUNTIME_CONFIG`, falling back to Invoke's variable (Fabric only read Invoke's). */
  protected override runtimeConfigEnvVar(): string {
    return process.env.FABRIC_RUNTIME_CONFIG ? "FABRIC_RUNTIME_CONFIG" : "INVOKE_RUNTIME_CONFIG";
  }

  /** Invoke's help, then examples, environment variables and where the docs are. */
  protected override printHelp(): void {
    super.printHelp();
    this.stdout.write(`${fabHelpEpilog()}`);
  }

  protected override printVersion(): void {
    this.stdout.write(versionLines());
  }

  /** `--list-agent-keys`, `--masters` and `--stop-masters` print what they did and exit, like `--version`. */
  protected override async parseCore(argv: readonly string[]): Promise<void> {
    await super.parseCore(argv);
    if (this.coreValue("list-agent-keys") === true) {
      for (const line of await agentKeyLines()) this.stdout.write(`${line}\n`);
      throw new Exit();
    }
    const masters = this.coreValue("masters") === true;
    const stop = this.coreValue("stop-masters") === true;
    if (!masters && !stop) return;
    const dir = (this.config as FabricConfig).get<string | null>("persistDir", null) ?? undefined;
    for (const line of await masterLines(stop ? "stop" : "list", dir)) this.stdout.write(`${line}\n`);
    throw new Exit();
  }

  /** `fab -H h -- cmd` needs no fabfile: none is imported (project config beside one still loads). */
  protected override async parseCollection(): Promise<void> {
    if (wantsHostList(this.inventoryCli())) return this.parseCollectionForHostList();
    if (!this.remainderOnly()) return super.parseCollection();
    this.collection = new Collection();
    try {
      const loader = new this.loaderClass({
        start: (this.coreValue("search-root") as string | undefined) ?? undefined,
      });
      const found = loader.find(String(this.coreValue("collection") ?? this.config.tasks.collectionName));
      this.projectDir = found.projectDir;
      this.config.setProjectLocation(found.projectDir);
      await this.config.loadProjectAsync();
      this.config.loadShellEnv();
    } catch (error) {
      if (!isInvokeError(error, "CollectionNotFound")) throw error;
    }
  }

  /** `--list-hosts` reads the fabfile when there is one (its directory may hold the inventory). */
  private async parseCollectionForHostList(): Promise<void> {
    try {
      await super.parseCollection();
    } catch (error) {
      if (!isInvokeError(error, "Exit")) throw error;
      this.collection = new Collection();
    }
  }

  protected override async parseCleanup(): Promise<void> {
    if (wantsHostList(this.inventoryCli())) {
      await this.updateConfig();
      await printHostList(this.inventoryCli());
      throw new Exit();
    }
    if (this.remainderOnly() && this.tasks.length === 0) return;
    await super.parseCleanup();
  }

  /** Invoke's flags, then `-i`, `-S`, `-t` and the login prompts. */
  protected override async updateConfig(): Promise<void> {
    const concurrency = this.coreValue("concurrency");
    if (concurrency !== undefined && !(typeof concurrency === "number" && concurrency >= 1)) {
      throw new ParseError(`Value '${String(concurrency)}' for '--concurrency' must be at least 1!`);
    }
    await super.updateConfig();
    const config = this.config as FabricConfig;
    const identities = (this.coreValue("identity") as string[] | undefined) ?? [];
    if (identities.length) {
      const paths = identities.map((path) => resolve(path));
      for (const path of paths) this.warnIfUnreadable(path);
      config.setOverride("connectKwargs.keyFilename", paths);
      config.setOverride("authentication.identities", paths);
    }
    const sshConfig = this.coreValue("ssh-config");
    if (typeof sshConfig === "string" && sshConfig) config.setRuntimeSshPath(resolve(sshConfig));
    // Fabric put -t into connect_kwargs, which then clashed with ssh_config's ConnectTimeout.
    // `confirm()` in @fabric-ts/fabric/helpers reads it; `--set prompts.yes=true` does the same.
    if (this.coreValue("yes") === true) config.setOverride("prompts.yes", true);
    const persist = this.coreValue("persist");
    if (persist !== undefined && persist !== null && persist !== false) {
      // Checked here, so that a bad value fails before any host is dialled (and without loading the
      // config schema: zod costs ~100 ms of start-up).
      const value = persist === true ? true : String(persist);
      persistSeconds(value);
      config.loadOverrides({ persist: value });
    }
    const timeout = this.coreValue("connect-timeout");
    if (typeof timeout === "number") config.setOverride("timeouts.connect", timeout);
    if (this.coreValue("prompt-for-login-password")) {
      const password = await promptSecret("Enter login password for use with SSH auth: ");
      config.setOverride("connectKwargs.password", password);
    }
    if (this.coreValue("prompt-for-passphrase")) {
      const passphrase = await promptSecret("Enter passphrase for use unlocking SSH keys: ");
      config.setOverride("connectKwargs.passphrase", passphrase);
    }
  }

  protected override async execute(): Promise<void> {
    // With an inventory, hosts come from it (and -H/-R are patterns); without one, -H as given.
    const run = await runHosts(this.inventoryCli(), this.remainderOnly());
    const [only] = run.hosts;
    // The head start only for a host given by name: an inventory host dials its ansible_host/port.
    const earlyDial = run.hosts.length === 1 && only && !run.inventory ? this.dialEarly(only.host) : null;
    try {
      await this.executeTasks(run);
    } finally {
      earlyDial?.discard();
    }
  }

  /**
   * Start the TCP connect to the one `-H` host now, so that it overlaps loading the executor and
   * ssh2 (see connection/head-start.ts). `FABRIC_TS_EARLY_DIAL=off` turns it off.
   */
  private dialEarly(host: string): EarlyDial | null {
    if (/^(off|0|false|no)$/i.test(process.env.FABRIC_TS_EARLY_DIAL ?? "")) return null;
    // A warm connection goes to its master, not to the host: a TCP connect would only cost sshd a fork.
    if (this.persists()) return null;
    try {
      return dialEarly(host, (this.config as FabricConfig).sshConfigFiles());
    } catch {
      return null; // e.g. a missing -S file: the Connection reports it.
    }
  }

  /** Whether `--persist` or config `persist` asks for warm connections (ssh_config's ask is not known here). */
  private persists(): boolean {
    try {
      const value = (this.config as FabricConfig).get<unknown>("persist", null);
      return value !== null && value !== undefined && persistSeconds(value) !== null;
    } catch {
      return false;
    }
  }

  private async executeTasks({ hosts, resolveHosts, inventory }: RunHosts): Promise<void> {
    // Loaded here so --help, --list and --version never pay for the SSH stack.
    const { FabricExecutor } = await import("../executor.js");
    const json = this.coreValue("json") === true;
    const config = this.config as FabricConfig;
    const events = json ? new JsonEvents(this.stdout, this.secrets) : undefined;
    for (const path of ["sudo.password", "connectKwargs.password", "connectKwargs.passphrase"])
      this.secrets.add(config.get<string | null>(path, null));
    const concurrency = this.coreValue("concurrency");
    const executor = new FabricExecutor(this.collection ?? new Collection(), config, this.core, {
      hosts,
      ...(resolveHosts ? { resolveHosts } : {}),
      ...(inventory ? { inventory } : {}),
      remainder: this.core.remainder,
      parallel: this.coreValue("parallel") === true,
      skipUnreachable: this.coreValue("skip-unreachable") === true,
      ...(typeof concurrency === "number" ? { concurrency } : {}),
      ...(json ? { output: "json" as const, events } : {}),
      stdout: this.stdout,
      stderr: this.stderr,
      redact: (text) => this.secrets.redact(text),
    });
    await executor.execute(...this.tasks);
  }

  /** As ssh does for `-i`: a key file that cannot be read is named (it is then skipped). */
  protected warnIfUnreadable(path: string): void {
    try {
      accessSync(path, fsConstants.R_OK);
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      const reason =
        code === "ENOENT"
          ? "No such file or directory"
          : code === "EACCES"
            ? "Permission denied"
            : String(code);
      this.stderr.write(`Warning: Identity file ${path} not accessible: ${reason}.\n`);
    }
  }

  private inventoryCli() {
    return {
      coreValue: (name: string) => this.coreValue(name),
      config: this.config as FabricConfig,
      projectDir: this.projectDir,
      stdout: this.stdout,
      stderr: this.stderr,
    };
  }

  /**
   * Failed hosts are named on stderr; see `HostsFailed` for the exit code. After SIGINT/SIGTERM the
   * failures are the interruption's doing (a command killed by the forwarded Ctrl-C, a transfer
   * aborted): `fab` says it was interrupted and exits 130/143.
   */
  protected override handleError(error: unknown): number {
    const signal = interruption();
    if (signal) {
      this.stderr.write(`Interrupted by ${signal}.\n`);
      return 128 + (constants.signals[signal] ?? 0);
    }
    if (
      isFabricError(error, "InventoryError") ||
      isFabricError(error, "NoInventory") ||
      isFabricError(error, "NoHostsMatched")
    ) {
      this.stderr.write(`${error.message}\n`);
      return 1;
    }
    if (isFabricError(error, "HostsFailed") || isFabricError(error, "NothingToDo")) {
      this.stderr.write(`${this.secrets.redact(error.message)}\n`);
      return isFabricError(error, "HostsFailed") ? error.exitCode : 1;
    }
    return super.handleError(error);
  }

  /** A command after `--` and no task names: run it on the hosts, no fabfile involved. */
  protected remainderOnly(): boolean {
    return (
      this.core.remainder.trim() !== "" &&
      this.core.unparsed.length === 0 &&
      !this.coreValue("complete") &&
      this.coreValue("list") === undefined &&
      this.coreValue("help") === undefined
    );
  }
}

/** Bad inventory or selection: the message is the whole story (no stack trace). */
