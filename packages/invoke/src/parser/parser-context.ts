import { type Argument, toFlag } from "./argument.js";

/** One `[name, help]` row of a help listing. */
export type HelpTuple = readonly [string, string];

/**
 * The arguments one task (or the core program) accepts, indexed by every spelling, and the
 * values seen for them during a parse.
 */
export class ParserContext {
  readonly name: string | undefined;
  readonly aliases: readonly string[];
  /** Every argument by each of its names and its attribute name. */
  readonly args = new Map<string, Argument>();
  /** Every argument by each flag spelling (`--name`, `-n`). */
  readonly flags = new Map<string, Argument>();
  /** Inverse flags of true-by-default booleans (`--no-color` → `--color`). */
  readonly inverseFlags = new Map<string, string>();
  readonly positionalArgs: Argument[] = [];
  private readonly ordered: Argument[] = [];

  constructor(options: { name?: string; aliases?: readonly string[]; args?: readonly Argument[] } = {}) {
    this.name = options.name;
    this.aliases = [...(options.aliases ?? [])];
    for (const arg of options.args ?? []) this.addArg(arg);
  }

  addArg(arg: Argument): void {
    for (const name of [...arg.names, ...(arg.attrName ? [arg.attrName] : [])]) {
      if (this.args.has(name) && this.args.get(name) !== arg) {
        throw new Error(`Tried to add an argument named '${name}' but one already exists!`);
      }
      this.args.set(name, arg);
    }
    this.ordered.push(arg);
    if (arg.positional) this.positionalArgs.push(arg);
    for (const name of arg.names) this.flags.set(toFlag(name), arg);
    if (arg.kind === "bool" && arg.default === true) {
      this.inverseFlags.set(`--no-${longestName(arg)}`, toFlag(longestName(arg)));
    }
  }

  /** All arguments, in the order they were added. */
  get arguments(): readonly Argument[] {
    return this.ordered;
  }

  get missingPositionalArgs(): Argument[] {
    return this.positionalArgs.filter((arg) => arg.value === undefined);
  }

  /** `{ attrName: value }` for every argument. */
  asKwargs(): Record<string, unknown> {
    const out: Record<string, unknown> = {};
    for (const arg of this.ordered) out[arg.name] = arg.value;
    return out;
  }

  /** A copy whose arguments have seen no values. */
  clone(): ParserContext {
    return new ParserContext({
      name: this.name,
      aliases: this.aliases,
      args: this.ordered.map((arg) => arg.clone()),
    });
  }

  /** Help row for the argument behind `flag`: `["-n STRING, --name=STRING", "Who to greet"]`. */
  helpFor(flag: string): HelpTuple {
    const arg = this.flags.get(flag);
    if (!arg) throw new Error(`${flag} is not a valid flag of this context`);
    return [flagSpellings(arg).join(", "), helpText(arg)];
  }

  /** Help rows of every argument, sorted like Invoke: long-only flags first, then by short flag. */
  helpTuples(): HelpTuple[] {
    return [...this.ordered].sort(compareForHelp).map((arg) => this.helpFor(arg.flag));
  }

  /** Every flag spelling, inverse flags included, in a stable (help) order. */
  flagNames(): string[] {
    const out: string[] = [];
    for (const arg of [...this.ordered].sort(compareForHelp)) {
      const spellings = [...arg.names].sort((a, b) => b.length - a.length).map(toFlag);
      for (const flag of spellings) {
        out.push(flag);
        if (flag.startsWith("--") && arg.kind === "bool" && arg.default === true)
          out.push(`--no-${flag.slice(2)}`);
      }
    }
    return out;
  }
}

function longestName(arg: Argument): string {
  return [...arg.names].sort((a, b) => b.length - a.length)[0]!;
}

/** Value placeholder per kind. Unlike Invoke, float and list arguments get one too. */
function placeholder(arg: Argument): string {
  const kind = arg.kind === "list" ? arg.itemKind : arg.kind;
  if (kind === "int") return "INT";
  if (kind === "float") return "FLOAT";
  return "STRING";
}

function flagSpellings(arg: Argument): string[] {
  const names = [...arg.names].sort((a, b) => a.length - b.length);
  return names.map((name) => {
    const short = name.length === 1;
    if (!arg.takesValue) {
      if (!short && arg.kind === "bool" && arg.default === true) return `--[no-]${name}`;
      return toFlag(name);
    }
    const value = placeholder(arg);
    if (arg.optional) return short ? `-${name} [${value}]` : `--${name}[=${value}]`;
    return short ? `-${name} ${value}` : `--${name}=${value}`;
  });
}

function helpText(arg: Argument): string {
  const help = arg.help ?? "";
  if (!arg.choices?.length) return help;
  const choices = `Choices: ${arg.choices.join(", ")}.`;
  return help ? `${help}${/[.!?]$/.test(help) ? "" : "."} ${choices}` : choices;
}

/** Long-only arguments first, then by short name: case-insensitive, lowercase before uppercase. */
function compareForHelp(a: Argument, b: Argument): number {
  const ka = sortKey(a);
  const kb = sortKey(b);
  for (let i = 0; i < ka.length; i++) {
    const x = ka[i]!;
    const y = kb[i]!;
    if (x < y) return -1;
    if (x > y) return 1;
  }
  return 0;
}

function sortKey(arg: Argument): [number, string, number, string] {
  const short = arg.names.find((n) => n.length === 1);
  const best = short ?? [...arg.names].sort((a, b) => a.length - b.length)[0]!;
  const upper = best !== best.toLowerCase() ? 1 : 0;
  return [short ? 1 : 0, best.toLowerCase(), upper, best];
}
