import { basename, isAbsolute, resolve } from "node:path";
import { Collection } from "../collection.js";
import { Config, type ConfigOptions } from "../config/config.js";
import { Exit, isInvokeError, ParseError } from "../errors.js";
import { Executor } from "../executor.js";
import { FilesystemLoader, importTasksFile, type LoaderOptions } from "../loader/filesystem-loader.js";
import type { Argument } from "../parser/argument.js";
import { type ParseResult, Parser } from "../parser/parser.js";
import { ParserContext } from "../parser/parser-context.js";
import { SecretRedactor } from "../redactor.js";
import { type ColumnRow, terminalColumns } from "./columns.js";
import { completionCandidates, shellSplit } from "./completion.js";
import { completionScript } from "./completion-scripts.js";
import { defaultCoreArgs, defaultTaskArgs } from "./core-args.js";
import { describeError } from "./errors.js";
import { renderCoreHelp, renderTaskHelp } from "./help.js";
import { type ListFormat, renderList, taskNamesInOrder } from "./list.js";
import { promptSecret } from "./prompt.js";
import { packageVersion } from "./version.js";

/** Constructor of the executor a program uses (Fabric passes one that runs tasks per host). */
export type ExecutorClass = new (collection: Collection, config: Config, core?: ParseResult) => Executor;

export interface ProgramOptions {
  /** Shown by `--version`. @default this package's version */
  version?: string;
  /** Run these tasks as subcommands instead of loading a tasks file ("bundled namespace" mode). */
  namespace?: Collection;
  /** Shown by `--version`. @default "Invoke (fabric-ts)" */
  name?: string;
  /** Program name in usage lines. @default the basename the program was called as */
  binary?: string;
  /** Names completion scripts register for. @default [binary] */
  binaryNames?: readonly string[];
  loaderClass?: new (options: LoaderOptions) => FilesystemLoader;
  executorClass?: ExecutorClass;
  configClass?: new (options?: ConfigOptions) => Config;
  stdout?: NodeJS.WritableStream;
  stderr?: NodeJS.WritableStream;
}

/**
 * The `inv` command line: parses core flags, loads the tasks file, parses tasks and their flags,
 * then lists, helps, completes or executes. Subclass it for another binary (Fabric's `fab`).
 */
export class Program {
  readonly version: string;
  readonly namespace: Collection | undefined;
  readonly name: string;
  readonly binary: string;
  readonly binaryNames: readonly string[];
  protected readonly loaderClass: new (
    options: LoaderOptions,
  ) => FilesystemLoader;
  protected readonly executorClass: ExecutorClass;
  protected readonly configClass: new (
    options?: ConfigOptions,
  ) => Config;
  protected readonly stdout: NodeJS.WritableStream;
  protected readonly stderr: NodeJS.WritableStream;

  config!: Config;
  collection: Collection | undefined;
  /** Result of the first (core-only) parse; `core.unparsed` holds the task part of argv. */
  core!: ParseResult;
  /** Task contexts from the command line, in order. */
  tasks: ParserContext[] = [];
  private coreFromTasks: ParserContext | undefined;
  private debugEnabled = !!process.env.INVOKE_DEBUG;
  /** Secret values of this run; scrubbed from debug lines and error messages. */
  protected readonly secrets = new SecretRedactor();

  constructor(options: ProgramOptions = {}) {
    const calledAs = basename(process.argv[1] ?? "inv").replace(/\.[cm]?js$/, "");
    this.version = options.version ?? packageVersion();
    this.namespace = options.namespace;
    this.name = options.name ?? "Invoke (fabric-ts)";
    this.binary = options.binary ?? calledAs;
    this.binaryNames = options.binaryNames ?? [calledAs];
    this.loaderClass = options.loaderClass ?? FilesystemLoader;
    this.executorClass = options.executorClass ?? Executor;
    this.configClass = options.configClass ?? Config;
    this.stdout = options.stdout ?? process.stdout;
    this.stderr = options.stderr ?? process.stderr;
  }

  /**
   * Run the command line (without the node/binary words) and return the exit code; nothing is thrown.
   * @example process.exitCode = await new Program({ binary: "inv" }).run(process.argv.slice(2));
   */
  async run(argv: readonly string[] = process.argv.slice(2)): Promise<number> {
    try {
      this.config = await this.createConfig();
      await this.parseCore(argv);
      await this.parseCollection();
      this.parseTasks();
      await this.parseCleanup();
      await this.updateConfig();
      this.secrets.addFromConfig(this.config);
      await this.execute();
      return 0;
    } catch (error) {
      return this.handleError(error);
    }
  }

  /** Core flags (Invoke's `core_args()`); override to add program-wide flags. */
  protected coreArgs(): Argument[] {
    return defaultCoreArgs();
  }

  /** Flags that only make sense when loading a tasks file (`-c`, `-r`, `--no-dedupe`). */
  protected taskArgs(): Argument[] {
    return defaultTaskArgs();
  }

  /** The session config: defaults, system and user files, env vars (project and runtime files come later). */
  protected async createConfig(): Promise<Config> {
    const config = new this.configClass({ lazy: true });
    await config.loadSystemAsync();
    await config.loadUserAsync();
    config.loadShellEnv();
    return config;
  }

  /** Name of the env var naming a runtime config file (`-f` wins over it). */
  protected runtimeConfigEnvVar(): string {
    return "INVOKE_RUNTIME_CONFIG";
  }

  /** The parser context of core flags. */
  protected coreContext(): ParserContext {
    const args = this.namespace ? this.coreArgs() : [...this.coreArgs(), ...this.taskArgs()];
    return new ParserContext({ args });
  }

  /** Value of a core flag, wherever it appeared on the command line. */
  protected coreValue(name: string): unknown {
    const late = this.coreFromTasks?.args.get(name);
    if (late?.gotValue) return late.value;
    return this.core.contexts[0]?.args.get(name)?.value;
  }

  protected async parseCore(argv: readonly string[]): Promise<void> {
    this.core = new Parser({ initial: this.coreContext(), ignoreUnknown: true }).parseArgv(argv);
    for (const text of (this.coreValue("set") as string[] | undefined) ?? [])
      this.secrets.addFromSetArgument(text);
    this.secrets.addFromConfig(this.config);
    if (this.coreValue("debug")) this.debugEnabled = true;
    this.debug(`core parse: ${JSON.stringify(this.core.contexts[0]?.asKwargs())}`);
    if (this.coreValue("version")) {
      this.printVersion();
      throw new Exit();
    }
    const shell = this.coreValue("print-completion-script");
    if (typeof shell === "string" && shell) {
      this.stdout.write(completionScript(shell, this.binaryNames));
      throw new Exit();
    }
  }

  protected async parseCollection(): Promise<void> {
    if (this.namespace) {
      this.collection = this.namespace;
      return;
    }
    if (this.coreValue("help") === true && this.core.unparsed.length === 0) {
      this.printHelp();
      throw new Exit();
    }
    if (this.coreValue("complete")) {
      try {
        await this.loadCollection();
      } catch (error) {
        this.debug(`completion without a collection: ${String(error)}`);
      }
      return;
    }
    await this.loadCollection();
  }

  /** Find and import the tasks file, load project config, build the collection. */
  protected async loadCollection(): Promise<void> {
    const fromComplete = this.coreValue("complete") ? this.completionCoreFlags() : undefined;
    const configured = this.config.tasks;
    const name = String(
      this.coreValue("collection") ?? fromComplete?.collection ?? configured.collectionName,
    );
    const root = (this.coreValue("search-root") ?? fromComplete?.searchRoot ?? configured.searchRoot) as
      | string
      | null;
    const loader = new this.loaderClass({ start: root ?? undefined });
    let loaded: Awaited<ReturnType<FilesystemLoader["load"]>>;
    try {
      loaded = await loader.load(name);
    } catch (error) {
      if (isInvokeError(error, "CollectionNotFound")) {
        throw new Exit(`Can't find any collection named '${name}'!`);
      }
      throw error;
    }
    this.debug(`loaded tasks from ${loaded.path}`);
    this.config.setProjectLocation(loaded.projectDir);
    await this.config.loadProjectAsync();
    this.config.loadShellEnv();
    this.collection = Collection.fromModule(loaded.module, {
      name: undefined,
      loadedFrom: loaded.projectDir,
      autoDashNames: this.config.tasks.autoDashNames,
    });
    this.collection.name ??= loaded.name;
  }

  protected parseTasks(): void {
    const contexts =
      this.collection?.toContexts({ ignoreUnknownHelp: this.config.tasks.ignoreUnknownHelp }) ?? [];
    const result = new Parser({ initial: this.coreContext(), contexts }).parseArgv(this.core.unparsed);
    this.coreFromTasks = result.contexts[0];
    this.tasks = result.contexts.slice(1);
    this.debug(`tasks: ${this.tasks.map((t) => t.name).join(", ") || "(none)"}`);
  }

  protected async parseCleanup(): Promise<void> {
    const help = this.coreValue("help");
    if (typeof help === "string") {
      this.printTaskHelp(help);
      throw new Exit();
    }
    if (help === true) {
      this.printHelp();
      throw new Exit();
    }
    const list = this.coreValue("list");
    if (list !== undefined && list !== false) {
      this.listTasks(typeof list === "string" ? list : undefined);
      throw new Exit();
    }
    if (this.coreValue("complete")) {
      const candidates = completionCandidates({
        remainder: this.core.remainder,
        binaryNames: [...new Set([...this.binaryNames, "inv", "invoke"])],
        core: this.coreContext(),
        collection: this.collection,
      });
      this.stdout.write(candidates.map((c) => `${c}\n`).join(""));
      throw new Exit();
    }
    if (this.tasks.length === 0 && this.collection?.default === undefined) {
      this.printHelp();
      throw new Exit();
    }
  }

  /** Write the flags' values and the runtime config file into the config. */
  protected async updateConfig(): Promise<void> {
    const config = this.config;
    const overrides: [string, unknown][] = [];
    if (this.coreValue("echo")) overrides.push(["run.echo", true]);
    if (this.coreValue("warn-only")) overrides.push(["run.warn", true]);
    if (this.coreValue("pty")) overrides.push(["run.pty", true]);
    if (this.coreValue("dry")) overrides.push(["run.dry", true]);
    const hide = this.coreValue("hide");
    if (typeof hide === "string") overrides.push(["run.hide", hide]);
    const timeout = this.coreValue("command-timeout");
    if (typeof timeout === "number") overrides.push(["timeouts.command", timeout]);
    if (!this.namespace && this.coreValue("no-dedupe")) overrides.push(["tasks.dedupe", false]);
    if (this.coreValue("prompt-for-sudo-password")) {
      overrides.push(["sudo.password", await promptSecret("Desired 'sudo.password' config value: ")]);
    }
    for (const [path, value] of overrides) config.setOverride(path, value);
    for (const text of (this.coreValue("set") as string[] | undefined) ?? [])
      config.setOverrideFromArgument(text);
    const runtime =
      (this.coreValue("config") as string | undefined) ?? process.env[this.runtimeConfigEnvVar()];
    if (runtime) config.setRuntimePath(isAbsolute(runtime) ? runtime : resolve(runtime));
    await config.loadRuntimeAsync();
  }

  protected async execute(): Promise<void> {
    const collection = this.collection ?? new Collection();
    const Klass = (await this.executorClassFromConfig()) ?? this.executorClass;
    const executor = new Klass(collection, this.config, this.core);
    await executor.execute(...this.tasks);
  }

  protected printVersion(): void {
    this.stdout.write(`${this.name} ${this.version}\n`);
  }

  protected printHelp(): void {
    const subcommands: ColumnRow[] | undefined = this.namespace
      ? taskNamesInOrder(this.namespace)
          .filter((n) => this.namespace!.taskNames().has(n))
          .map((n) => [n, this.namespace!.get(n).doc?.split("\n")[0]?.trim() || null])
      : undefined;
    this.stdout.write(
      renderCoreHelp({ binary: this.binary, core: this.coreContext(), cols: terminalColumns(), subcommands }),
    );
  }

  protected printTaskHelp(name: string): void {
    const collection = this.collection;
    const context = collection
      ?.toContexts({ ignoreUnknownHelp: this.config.tasks.ignoreUnknownHelp })
      .find((c) => c.name === name || c.aliases.includes(name));
    if (!collection || !context) throw new ParseError(`No idea what '${name}' is!`);
    this.stdout.write(
      renderTaskHelp({
        binary: this.binary,
        name,
        doc: collection.get(name).doc,
        context,
        cols: terminalColumns(),
      }),
    );
  }

  protected listTasks(root: string | undefined): void {
    const depth = this.coreValue("list-depth") as number | undefined;
    const format = String(this.coreValue("list-format") ?? "flat") as ListFormat;
    const out = renderList(this.collection ?? new Collection(), {
      root,
      depth,
      format,
      cols: terminalColumns(),
    });
    this.stdout.write(this.namespace ? out.replace(/^Available( '.*?')? tasks/, "Subcommands") : out);
  }

  /** Turn an error into a message on stderr and an exit code (Invoke's codes; no stack unless --debug). */
  protected handleError(error: unknown): number {
    if (this.config) this.secrets.addFromConfig(this.config);
    const described = describeError(error, this.debugEnabled);
    const message = this.secrets.redact(described.message);
    const exitCode = described.exitCode;
    if (message) this.stderr.write(message.endsWith("\n") || !message ? message : `${message}\n`);
    return exitCode;
  }

  protected debug(message: string): void {
    if (this.debugEnabled) this.stderr.write(`${this.binary}: ${this.secrets.redact(message)}\n`);
  }

  /** `-c`/`-r` given inside the completed command line (`inv --complete -- inv -c ci build -`). */
  private completionCoreFlags(): { collection?: string; searchRoot?: string } {
    const words = shellSplit(this.core.remainder).slice(1);
    try {
      const parsed = new Parser({ initial: this.coreContext(), ignoreUnknown: true }).parseArgv(words);
      const args = parsed.contexts[0]?.args;
      return {
        collection: args?.get("collection")?.value as string | undefined,
        searchRoot: args?.get("search-root")?.value as string | undefined,
      };
    } catch {
      return {};
    }
  }

  /** `tasks.executorClass` config: `"module#Export"` (module resolved from the project dir) or a module's default. */
  private async executorClassFromConfig(): Promise<ExecutorClass | undefined> {
    const spec = this.config.tasks.executorClass;
    if (!spec) return undefined;
    const [modulePath = "", exportName = "default"] = spec.split("#");
    const base = this.collection?.loadedFrom ?? process.cwd();
    const target = modulePath.startsWith(".") ? resolve(base, modulePath) : modulePath;
    const module = target.startsWith("/") ? await importTasksFile(target) : await import(target);
    const Klass = (module as Record<string, unknown>)[exportName];
    if (typeof Klass !== "function") throw new Exit(`tasks.executorClass: '${spec}' is not a class`);
    return Klass as ExecutorClass;
  }
}
