/**
 * Input generators for the invoke fuzz suites: config documents (YAML/JSON text, valid trees with
 * wrong types at known keys, mutations of real files), environment strings, `--set` arguments and
 * argv token lists. Every property runs with the fixed SEED.
 */
import fc from "fast-check";

/**
 * One fixed seed, so CI runs are reproducible (fast-check prints seed and path on failure).
 * FUZZ_SEED and FUZZ_SCALE explore further by hand (FUZZ_SCALE=10: ten times the cases).
 */
export const SEED = Number(process.env.FUZZ_SEED ?? 0x5eed);
const SCALE = Number(process.env.FUZZ_SCALE ?? 1);

/** Per-test vitest timeout for fuzz properties: a generous bound on a busy machine, not a speed check. */
export const FUZZ_TIMEOUT = 120_000 * Math.max(1, SCALE);

/** `n` cases, times FUZZ_SCALE. */
export function runs(n: number): number {
  return Math.max(1, Math.round(n * SCALE));
}

// --- values and trees ----------------------------------------------------------------------------

/** Scalars that trip type checks: numbers of every kind, YAML-ish words, empty and huge strings. */
export const oddScalar: fc.Arbitrary<unknown> = fc.oneof(
  fc.constantFrom(
    true,
    false,
    null,
    0,
    -1,
    1.5,
    Number.MAX_SAFE_INTEGER,
    1e308,
    "",
    " ",
    "yes",
    "no",
    "off",
    "null",
    "007",
    "1e3",
    "NaN",
    "Infinity",
    "__proto__",
    "constructor",
    "x".repeat(100_000),
  ),
  fc.string({ unit: "binary", maxLength: 30 }),
  fc.integer(),
  fc.double(),
);

const KNOWN_PATHS = [
  ["run", "echo"],
  ["run", "warn"],
  ["run", "hide"],
  ["run", "shell"],
  ["run", "env"],
  ["run", "env", "PORT"],
  ["run", "replace_env"],
  ["run", "echoFormat"],
  ["run", "watchers"],
  ["run", "pty"],
  ["sudo", "password"],
  ["sudo", "user"],
  ["tasks", "collection_name"],
  ["tasks", "dedupe"],
  ["tasks", "executorClass"],
  ["timeouts", "command"],
  ["runners", "local"],
  ["run"],
  ["sudo"],
  ["timeouts"],
  ["tasks"],
  ["rnu"],
  ["deploy_env"],
  ["constructor"],
  ["toString"],
  ["hasOwnProperty", "x"],
  ["__proto__"],
  ["__proto__", "polluted"],
  ["a", "__proto__", "polluted"],
];

/** A tree that puts odd values (or odd sub-trees) at known and unknown key paths. */
export const configTree: fc.Arbitrary<Record<string, unknown>> = fc
  .array(
    fc.tuple(
      fc.constantFrom(...KNOWN_PATHS),
      fc.oneof(
        { weight: 4, arbitrary: oddScalar },
        { weight: 1, arbitrary: fc.array(oddScalar, { maxLength: 3 }) },
        { weight: 1, arbitrary: fc.dictionary(fc.string({ maxLength: 6 }), oddScalar, { maxKeys: 3 }) },
      ),
    ),
    { maxLength: 6 },
  )
  .map((entries) => {
    const tree: Record<string, unknown> = {};
    for (const [path, value] of entries) {
      let node = tree;
      for (const key of path.slice(0, -1)) {
        const next = Object.hasOwn(node, key) ? node[key] : undefined;
        const child =
          next !== null && typeof next === "object" && !Array.isArray(next) ? next : Object.create(null);
        Object.defineProperty(node, key, {
          value: child,
          enumerable: true,
          writable: true,
          configurable: true,
        });
        node = child as Record<string, unknown>;
      }
      Object.defineProperty(node, path.at(-1)!, {
        value,
        enumerable: true,
        writable: true,
        configurable: true,
      });
    }
    return tree;
  });

/** JSON text nested `depth` levels deep, as objects or arrays. */
export const deepJson = fc
  .tuple(fc.integer({ min: 1, max: 3000 }), fc.boolean())
  .map(([depth, arrays]) =>
    arrays
      ? `{"a":${"[".repeat(depth)}1${"]".repeat(depth)}}`
      : `${'{"a":'.repeat(depth)}1${"}".repeat(depth)}`,
  );

/** YAML alias bombs: each level refers to the previous one `fanOut` times. */
export const aliasBomb = fc
  .tuple(fc.integer({ min: 2, max: 40 }), fc.integer({ min: 2, max: 9 }), fc.boolean())
  .map(([levels, fanOut, selfReference]) => {
    let text = "l0: &l0 [lol]\n";
    for (let i = 1; i <= levels; i++) {
      text += `l${i}: &l${i} [${Array(fanOut)
        .fill(`*l${i - 1}`)
        .join(", ")}]\n`;
    }
    return selfReference ? `${text}loop: &loop {self: *loop}\n` : text;
  });

const YAML_TOKENS = [
  "run:",
  "  echo: yes",
  "  echo:",
  "    - 1",
  "sudo: {password: x}",
  "timeouts: {command: -5}",
  "tasks: [1, 2]",
  "- item",
  "key: &anchor value",
  "other: *anchor",
  "other: *missing",
  "<<: *anchor",
  "? complex",
  ": value",
  "tagged: !!binary aGVsbG8=",
  "tagged: !!set {a, b}",
  "tagged: !!omap [a: 1]",
  "tagged: !custom x",
  "date: 2001-12-14",
  "quoted: 'it''s'",
  'quoted: "\\u0000\\x"',
  "multi: |",
  "  block",
  "folded: >-",
  "flow: {a: [1, {b: 2}]}",
  "---",
  "...",
  "%YAML 1.1",
  "%TAG ! tag:example.com,2000:",
  "__proto__: {polluted: 1}",
  "constructor: {x: 1}",
  "\t tab: indented",
  "# comment",
  "",
  "{",
  "]",
  '"',
  "'",
  ": :",
];

/** YAML-looking text: lines from real syntax, shuffled, plus random junk. */
export const yamlSoup: fc.Arbitrary<string> = fc
  .array(
    fc.oneof(
      { weight: 5, arbitrary: fc.constantFrom(...YAML_TOKENS) },
      { weight: 1, arbitrary: fc.string({ unit: "binary", maxLength: 20 }) },
    ),
    { maxLength: 15 },
  )
  .map((lines) => lines.join("\n"));

/** Text edits: the damage hand-edited files suffer. */
export const mutation = fc.oneof(
  fc.record({
    kind: fc.constant("flip" as const),
    at: fc.nat(),
    text: fc.oneof(
      fc.constantFrom('"', "'", ":", "-", "#", " ", "\t", "\n", "{", "[", "&", "*", "!", "\0"),
      fc.string({ unit: "binary", minLength: 1, maxLength: 1 }),
    ),
  }),
  fc.record({ kind: fc.constant("delete-line" as const), at: fc.nat() }),
  fc.record({ kind: fc.constant("duplicate-line" as const), at: fc.nat() }),
  fc.record({ kind: fc.constant("truncate" as const), at: fc.nat() }),
  fc.record({ kind: fc.constant("insert" as const), at: fc.nat(), text: fc.constantFrom(...YAML_TOKENS) }),
);
export type Mutation = typeof mutation extends fc.Arbitrary<infer M> ? M : never;

export function applyMutation(text: string, m: Mutation): string {
  const lines = text.split("\n");
  const line = m.at % Math.max(lines.length, 1);
  const at = m.at % (text.length + 1);
  switch (m.kind) {
    case "flip":
      return text.slice(0, at) + m.text + text.slice(at + 1);
    case "delete-line":
      lines.splice(line, 1);
      return lines.join("\n");
    case "duplicate-line":
      lines.splice(line, 0, lines[line] ?? "");
      return lines.join("\n");
    case "truncate":
      return text.slice(0, at);
    case "insert":
      return `${text.slice(0, at)}\n${m.text}\n${text.slice(at)}`;
  }
}

// --- environment and --set -----------------------------------------------------------------------

export const envText: fc.Arbitrary<string> = fc.oneof(
  fc.constantFrom(
    "",
    " ",
    "0",
    "1",
    "-1",
    "1.5",
    "1e3",
    "0x10",
    "yes",
    "NO",
    "off",
    "true",
    "nan",
    "Infinity",
  ),
  fc.string({ unit: "binary", maxLength: 20 }),
);

export const setArgument: fc.Arbitrary<string> = fc.oneof(
  fc
    .tuple(
      fc.oneof(
        fc.constantFrom(...KNOWN_PATHS.map((path) => path.join("."))),
        fc.constantFrom("", ".", "a..b", "a.", ".a", " run.echo ", "deploy_env", "run.env.X"),
        fc.string({ unit: "binary", maxLength: 10 }),
      ),
      fc.constantFrom("=", "==", "", " = "),
      fc.oneof(
        envText,
        fc.constantFrom("[1,2", '{"a":', '{"__proto__":{"polluted":1}}', '"quoted"', "null", "[[[[[[]]]]]]"),
        fc.json({ maxDepth: 3 }),
        fc.integer({ min: 1, max: 5000 }).map((depth) => `${"[".repeat(depth)}${"]".repeat(depth)}`),
      ),
    )
    .map(([path, eq, value]) => `${path}${eq}${value}`),
  fc.string({ unit: "binary", maxLength: 30 }),
);

// --- argv ----------------------------------------------------------------------------------------

const TASK_WORDS = [
  "shell",
  "ipython",
  "test",
  "run_tests",
  "run-tests",
  "build",
  "build.all",
  "build.everything",
  "build.c-ext",
  "build.ext",
  "build.zap",
  "build.docs",
  "build.docs.html",
  "build.python.wheel",
  "deploy",
  "deploy.db",
  "deploy.db-servers",
  "deploy.web",
  "provision.db",
  "provision.web",
  "ship",
  "nope",
  "build.",
  ".build",
];

// --prompt-for-sudo-password is left out: it waits for a terminal answer by design.
const FLAG_WORDS = [
  "--help",
  "-h",
  "--list",
  "-l",
  "--list-format",
  "-F",
  "--list-depth",
  "-D",
  "--echo",
  "-e",
  "--no-echo",
  "--warn-only",
  "-w",
  "--pty",
  "-p",
  "--dry",
  "-R",
  "--hide",
  "--command-timeout",
  "-T",
  "--set",
  "--config",
  "-f",
  "--complete",
  "--debug",
  "-d",
  "--version",
  "-V",
  "--print-completion-script",
  "--no-dedupe",
  "-c",
  "-r",
  "--branch",
  "-b",
  "--dry-run",
  "--retries",
  "--ratio",
  "--hosts",
  "-v",
  "-vvv",
  "--verbose",
  "--no-color",
  "--color",
  "--",
  "-",
  "---",
  "--=",
  "-=x",
  "--unknown",
  "-Z",
  "-ew",
  "-T5",
  "-D=2",
  "--list-depth=x",
  "--hide=both",
  "--set=run.echo=true",
];

const VALUE_WORDS = [
  "1",
  "0",
  "-5",
  "2.5",
  "x",
  "",
  "both",
  "stdout",
  "flat",
  "nested",
  "json",
  "bash",
  "zsh",
  "fish",
  "tcsh",
  "run.echo=true",
  "__proto__.polluted=1",
  "deploy_env=prod",
  "/nonexistent/file.yaml",
  "main",
  "a,b",
];

/** A command line: task names, core and task flags (all spellings), values, and junk. */
export const argvTokens: fc.Arbitrary<string[]> = fc.array(
  fc.oneof(
    { weight: 3, arbitrary: fc.constantFrom(...TASK_WORDS) },
    { weight: 4, arbitrary: fc.constantFrom(...FLAG_WORDS) },
    { weight: 3, arbitrary: fc.constantFrom(...VALUE_WORDS) },
    {
      weight: 1,
      arbitrary: fc
        .tuple(fc.constantFrom(...FLAG_WORDS), fc.constantFrom(...VALUE_WORDS))
        .map(([flag, value]) => `${flag}=${value}`),
    },
    { weight: 1, arbitrary: fc.string({ unit: "binary", maxLength: 8 }) },
  ),
  { maxLength: 8 },
);
