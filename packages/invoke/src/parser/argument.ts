import { ParseError } from "../errors.js";
import { pyRepr as quote } from "../internal/py-repr.js";

/** How a CLI value is interpreted. `count` takes no value and increments (`-vvv` → 3). */
export type ArgumentKind = "string" | "int" | "float" | "bool" | "list" | "count";
/** Element kind of a `list` argument. */
export type ScalarKind = "string" | "int" | "float";

export interface ArgumentOptions {
  /** Undashed names: the first is the main one (`"dry-run"`, `"d"`). */
  names: readonly string[];
  kind?: ArgumentKind;
  /** For `list` arguments: how each occurrence is cast. */
  itemKind?: ScalarKind;
  default?: unknown;
  help?: string;
  positional?: boolean;
  /** The flag's value may be omitted (`--log` → `true`, `--log=x` → `"x"`). */
  optional?: boolean;
  /** Key used in `asKwargs()`; defaults to the main name. */
  attrName?: string;
  /** Accepted values, shown in help. */
  choices?: readonly string[];
}

/** One CLI argument of a task or of the core program. */
export class Argument {
  readonly names: readonly string[];
  readonly kind: ArgumentKind;
  readonly itemKind: ScalarKind;
  readonly default: unknown;
  readonly help: string | undefined;
  readonly positional: boolean;
  readonly optional: boolean;
  readonly attrName: string | undefined;
  readonly choices: readonly string[] | undefined;
  /** The last raw string seen for this argument. */
  rawValue: string | undefined;
  private current: unknown;

  constructor(options: ArgumentOptions) {
    if (options.names.length === 0) throw new TypeError("An Argument needs at least one name");
    this.names = [...options.names];
    this.kind = options.kind ?? "string";
    this.itemKind = options.itemKind ?? "string";
    this.default = options.default;
    this.help = options.help;
    this.positional = options.positional ?? false;
    this.optional = options.optional ?? false;
    this.attrName = options.attrName;
    this.choices = options.choices;
    this.current = this.initialValue();
  }

  get name(): string {
    return this.attrName ?? this.names[0]!;
  }

  get nicknames(): readonly string[] {
    return this.names.slice(1);
  }

  /** Whether the flag consumes the following token (bools and counters do not). */
  get takesValue(): boolean {
    return this.kind !== "bool" && this.kind !== "count";
  }

  get value(): unknown {
    if (this.kind === "list") return this.gotValue ? this.current : (this.default ?? []);
    return this.current !== undefined ? this.current : this.default;
  }

  get gotValue(): boolean {
    if (this.kind === "list") return Array.isArray(this.current) && this.current.length > 0;
    if (this.kind === "count") return this.current !== this.initialValue();
    return this.current !== undefined;
  }

  /** Main flag spelling, e.g. `--dry-run` or `-r`. */
  get flag(): string {
    return toFlag(this.names[0]!);
  }

  /** Record a value seen on the command line (cast per kind; lists append, counters increment). */
  setValue(value: string | boolean): void {
    if (typeof value === "string") this.rawValue = value;
    switch (this.kind) {
      case "list":
        this.current = [
          ...((this.current as unknown[] | undefined) ?? []),
          this.cast(String(value), this.itemKind),
        ];
        return;
      case "count":
        this.current = Number(this.current ?? this.default ?? 0) + 1;
        return;
      case "bool":
        this.current = typeof value === "boolean" ? value : value !== "" && value !== "false";
        return;
      default:
        this.current = typeof value === "boolean" ? value : this.cast(value, this.kind);
    }
  }

  /** A fresh copy with no value seen (each task occurrence on a command line gets its own). */
  clone(): Argument {
    return new Argument({
      names: this.names,
      kind: this.kind,
      itemKind: this.itemKind,
      default: this.default,
      help: this.help,
      positional: this.positional,
      optional: this.optional,
      attrName: this.attrName,
      choices: this.choices,
    });
  }

  private initialValue(): unknown {
    if (this.kind === "list") return [];
    if (this.kind === "count") return this.default ?? 0;
    return undefined;
  }

  private cast(value: string, kind: ArgumentKind): unknown {
    if (kind === "int") {
      if (!/^[-+]?\d+$/.test(value.trim())) {
        throw new ParseError(`Value ${quote(value)} for ${quote(this.flag)} is not an integer!`);
      }
      return Number.parseInt(value, 10);
    }
    if (kind === "float") {
      const n = Number(value);
      if (value.trim() === "" || Number.isNaN(n)) {
        throw new ParseError(`Value ${quote(value)} for ${quote(this.flag)} is not a number!`);
      }
      return n;
    }
    return value;
  }
}

/** `"x"` → `-x`, `"dry-run"` → `--dry-run`. */
export function toFlag(name: string): string {
  return name.length === 1 ? `-${name}` : `--${name}`;
}
