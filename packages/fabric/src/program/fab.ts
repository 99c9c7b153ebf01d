import { accessSync, constants as fsConstants } from "node:fs";
import { constants } from "node:os";
import { resolve } from "node:path";
import { Collection, Exit, ParseError, Program, type ProgramOptions, promptSecret } from "@fabric-ts/invoke";
import type { EarlyDial } from "@fabric-ts/ssh-core/early-dial";
import { FabricConfig } from "../config.js";
import { dialEarly } from "../connection/early-dial.js";
import { interruption } from "../interruption.js";
import { JsonEvents } from "../output/events.js";
import { parseHostsFlag } from "../tasks/host-spec.js";
import { agentKeyLines } from "./agent-keys.js";
import { fabCoreArgs } from "./fab-args.js";
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

  protected override coreArgs() {
    return [...super.coreArgs(), ...fabCoreArgs()];
  }

  /** `$FABRIC_RUNTIME_CONFIG`, falling back to Invoke's variable (Fabric only read Invoke's). */
  protected override runtimeConfigEnvVar(): string {
    return process.env.FABRIC_RUNTIME_CONFIG ? "FABRIC_RUNTIME_CONFIG" : "INVOKE_RUNTIME_CONFIG";
  }

  protected override printVersion(): void {
    this.stdout.write(versionLines());
  }

  /** `--list-agent-keys` prints the agent's keys and exits, like `--version`. */
  protected override async parseCore(argv: readonly string[]): Promise<void> {
    await super.parseCore(argv);
    if (this.coreValue("list-agent-keys") !== true) return;
    for (const line of await agentKeyLines()) this.stdout.write(`${line}\n`);
    throw new Exit();
  }

  /** `fab -H h -- cmd` needs no fabfile: none is imported (project config beside one still loads). */
  protected override async parseCollection(): Promise<void> {
    if (!this.remainderOnly()) return super.parseCollection();
    this.collection = new Collection();
    try {
      const loader = new this.loaderClass({
        start: (this.coreValue("search-root") as string | undefined) ?? undefined,
      });
      const found = loader.find(String(this.coreValue("collection") ?? this.config.tasks.collectionName));
      this.config.setProjectLocation(found.projectDir);
      await this.config.loadProjectAsync();
      this.config.loadShellEnv();
    } catch (error) {
      if (!(error instanceof Error && error.name === "CollectionNotFound")) throw error;
    }
  }

  protected override async parseCleanup(): Promise<void> {
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
    const hosts = parseHostsFlag(this.coreValue("hosts") as string | undefined);
    const earlyDial = hosts.length === 1 ? this.dialEarly(hosts[0]!) : null;
    try {
      await this.executeTasks(hosts);
    } finally {
      earlyDial?.discard();
    }
  }

  /**
   * Start the TCP connect to the one `-H` host now, so that it overlaps loading the executor and
   * ssh2 (see connection/early-dial.ts). `FABRIC_TS_EARLY_DIAL=off` turns it off.
   */
  private dialEarly(host: string): EarlyDial | null {
    if (/^(off|0|false|no)$/i.test(process.env.FABRIC_TS_EARLY_DIAL ?? "")) return null;
    try {
      return dialEarly(host, (this.config as FabricConfig).sshConfigFiles());
    } catch {
      return null; // e.g. a missing -S file: the Connection reports it.
    }
  }

  private async executeTasks(hosts: string[]): Promise<void> {
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
    if (error instanceof Error && (error.name === "HostsFailed" || error.name === "NothingToDo")) {
      this.stderr.write(`${this.secrets.redact(error.message)}\n`);
      return error.name === "HostsFailed" ? (error as Error & { exitCode: number }).exitCode : 1;
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
