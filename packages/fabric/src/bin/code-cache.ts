// A V8 code cache for the CommonJS files the bundled CLI loads (dist/cli/*.cjs and ssh2). Node 20
// has no module.enableCompileCache(), and compiling them was ~50 ms of the CLI's ~230 ms of CPU:
// with the cache, V8 deserialises bytecode instead of parsing and compiling again on every run.
//
// Each file is compiled with vm.Script and the cached data stored for it, if any. At exit, files
// that had none (or a stale one) get theirs written, after the run so that the functions it
// compiled lazily are in it too. One cache file per source path, holding a hash of the source it
// was made from (V8 itself only checks the source's length): a changed file is compiled afresh and
// its entry replaced. Nothing is fatal: a cache that cannot be read, parsed or written is ignored.
//
// Code compiled by vm.Script cannot use `import()` (Node 20 needs an experimental option for it), so
// a file with an `import(` is compiled as usual; the bundle calls {@link IMPORT_HOST} instead.
import { createHash } from "node:crypto";
import {
  mkdirSync,
  readdirSync,
  readFileSync,
  renameSync,
  statSync,
  unlinkSync,
  writeFileSync,
} from "node:fs";
import Module from "node:module";
import { homedir } from "node:os";
import { dirname, join } from "node:path";
import vm from "node:vm";

/** The parts of Node's CommonJS loader the cache hooks into (not in @types/node). */
interface CjsModule {
  exports: unknown;
  filename: string;
  require(id: string): unknown;
}
interface CjsLoader {
  prototype: { _compile(this: CjsModule, content: string, filename: string): unknown };
  wrap(content: string): string;
  _resolveFilename(request: string, parent: CjsModule, isMain: boolean, options?: unknown): string;
  _extensions: unknown;
  _cache: unknown;
}

export interface CodeCacheOptions {
  /** Where cache files go (created on first write). */
  dir: string;
  /** Which CommonJS files (absolute paths) are compiled through the cache. */
  include: (filename: string) => boolean;
}

/** How the files compiled through the cache went. */
export interface CodeCacheStats {
  /** Compiled from a cache entry. */
  hits: number;
  /** No usable entry (none, another source, or rejected by V8): compiled, and an entry written at exit. */
  misses: number;
}

const HASH_LENGTH = 40;
/** Entries unused for this long are deleted when the cache is next written. */
const STALE_AFTER_MS = 30 * 24 * 3600 * 1000;
/** A dynamic-import call in source text (not a method named `import`). */
const DYNAMIC_IMPORT = /(?<![\w$.])import\s*\(/;

/** Global through which the bundled CLI's code imports ES modules (see scripts/bundle-cli.mjs). */
export const IMPORT_HOST = Symbol.for("fabric-ts.import");

/**
 * `$XDG_CACHE_HOME/fabric-ts/code-cache/<node version>-<arch>` (else under `~/.cache`); null when
 * there is no home to put it in, or when `FABRIC_TS_CODE_CACHE=off` (or `0`) turns it off.
 */
export function defaultCodeCacheDir(env: NodeJS.ProcessEnv = process.env): string | null {
  const setting = env.FABRIC_TS_CODE_CACHE?.toLowerCase();
  if (setting === "off" || setting === "0" || setting === "false" || setting === "no") return null;
  const base = env.XDG_CACHE_HOME || (homedir() ? join(homedir(), ".cache") : "");
  if (!base) return null;
  return join(base, "fabric-ts", "code-cache", `${process.version}-${process.arch}`);
}

export class CodeCache {
  readonly stats: CodeCacheStats = { hits: 0, misses: 0 };
  readonly #options: CodeCacheOptions;
  readonly #pending = new Map<string, { hash: string; script: vm.Script }>();
  /** Entry file names this process read or wrote. */
  readonly #used = new Set<string>();
  #original: CjsLoader["prototype"]["_compile"] | null = null;

  constructor(options: CodeCacheOptions) {
    this.#options = options;
  }

  /** Compile included CommonJS files through the cache from now on; entries are written at exit. */
  install(): void {
    if (this.#original) return;
    const loader = Module as unknown as CjsLoader;
    const original = loader.prototype._compile;
    this.#original = original;
    const cache = this;
    loader.prototype._compile = function (content, filename) {
      const cacheable =
        cache.#options.include(filename) && !content.startsWith("#!") && !DYNAMIC_IMPORT.test(content);
      const script = cacheable ? cache.#compile(loader, content, filename) : null;
      // Anything else, and a file that does not compile (Node reports the error), goes the usual way.
      if (script === null) return original.call(this, content, filename);
      const wrapper = script.runInThisContext({ displayErrors: true }) as (...args: unknown[]) => unknown;
      return wrapper.call(
        this.exports,
        this.exports,
        requireFor(loader, this),
        this,
        filename,
        dirname(filename),
      );
    };
    process.once("exit", () => this.flush());
  }

  /** Stop compiling through the cache (entries not yet written stay pending). */
  uninstall(): void {
    if (!this.#original) return;
    (Module as unknown as CjsLoader).prototype._compile = this.#original;
    this.#original = null;
  }

  /** Write the entries of files compiled without one. Errors (read-only home …) are ignored. */
  flush(): void {
    if (this.#pending.size === 0) return;
    try {
      mkdirSync(this.#options.dir, { recursive: true, mode: 0o700 });
    } catch {
      this.#pending.clear();
      return;
    }
    for (const [filename, { hash, script }] of this.#pending) {
      const target = this.#entryPath(filename);
      const temporary = `${target}.${process.pid}.tmp`;
      try {
        writeFileSync(temporary, Buffer.concat([Buffer.from(hash, "latin1"), script.createCachedData()]));
        renameSync(temporary, target);
      } catch {
        // Not cached this time.
      }
    }
    this.#pending.clear();
    this.#prune();
  }

  /**
   * Delete entries this process did not use that were written more than {@link STALE_AFTER_MS}
   * ago: the files of older builds. (One another installation still uses is just written again.)
   */
  #prune(): void {
    const now = Date.now();
    try {
      for (const name of readdirSync(this.#options.dir)) {
        if (this.#used.has(name)) continue;
        const path = join(this.#options.dir, name);
        if (now - statSync(path).mtimeMs > STALE_AFTER_MS) unlinkSync(path);
      }
    } catch {
      // Pruned another time.
    }
  }

  /** The module wrapper compiled with the cached data when there is a valid entry; null if it fails. */
  #compile(loader: CjsLoader, content: string, filename: string): vm.Script | null {
    const hash = createHash("sha1").update(content).digest("hex");
    const cachedData = this.#read(filename, hash);
    let script: vm.Script;
    try {
      script = new vm.Script(loader.wrap(content), { filename, ...(cachedData ? { cachedData } : {}) });
    } catch {
      return null;
    }
    if (cachedData && !script.cachedDataRejected) {
      this.stats.hits++;
    } else {
      this.stats.misses++;
      this.#pending.set(filename, { hash, script });
    }
    return script;
  }

  /** The cached data for `filename` if it was made from the source with this hash. */
  #read(filename: string, hash: string): Buffer | undefined {
    let entry: Buffer;
    try {
      entry = readFileSync(this.#entryPath(filename));
    } catch {
      return undefined;
    }
    if (entry.length <= HASH_LENGTH || entry.toString("latin1", 0, HASH_LENGTH) !== hash) return undefined;
    return entry.subarray(HASH_LENGTH);
  }

  #entryPath(filename: string): string {
    const name = `${createHash("sha1").update(filename).digest("hex")}.v8`;
    this.#used.add(name);
    return join(this.#options.dir, name);
  }
}

/** The `require` a CommonJS module gets, as Node builds it (require.main aside). */
function requireFor(loader: CjsLoader, module: CjsModule): NodeJS.Require {
  const require = ((id: string) => module.require(id)) as NodeJS.Require;
  const resolve = ((request: string, options?: unknown) =>
    loader._resolveFilename(request, module, false, options)) as NodeJS.RequireResolve;
  require.resolve = resolve;
  require.cache = loader._cache as NodeJS.Require["cache"];
  require.extensions = loader._extensions as NodeJS.Require["extensions"];
  return require;
}

/**
 * Require `file` (the bundled CLI's entry) with the files of its directory and of installed packages
 * compiled through a code cache in `dir` (default {@link defaultCodeCacheDir}; null: plain require).
 */
export function requireWithCodeCache(
  file: string,
  dir: string | null = defaultCodeCacheDir(),
): { exports: { runAdHoc(argv: string[]): Promise<boolean> }; cache: CodeCache | null } {
  const require = Module.createRequire(file);
  const host = globalThis as { [IMPORT_HOST]?: (specifier: string) => Promise<unknown> };
  host[IMPORT_HOST] ??= (specifier) => import(specifier);
  let cache: CodeCache | null = null;
  if (dir !== null) {
    const bundleDir = `${dirname(file)}/`;
    cache = new CodeCache({
      dir,
      include: (filename) => filename.startsWith(bundleDir) || filename.includes("/node_modules/"),
    });
    cache.install();
  }
  return { exports: require(file) as { runAdHoc(argv: string[]): Promise<boolean> }, cache };
}
