import { ParseError } from "../errors.js";
import { pyRepr as quote } from "../internal/py-repr.js";
import type { Argument } from "./argument.js";
import type { ParserContext } from "./parser-context.js";
import { closest } from "./suggest.js";

/** Result of a parse: the core context first (if one was given), then one context per task occurrence. */
export interface ParseResult {
  contexts: ParserContext[];
  /** Everything after the first bare `--`, joined with spaces. */
  remainder: string;
  /** With `ignoreUnknown`: the first unknown token and everything after it. */
  unparsed: string[];
}

export interface ParserOptions {
  /** Task contexts (templates; each occurrence on the command line gets a clone). */
  contexts?: readonly ParserContext[];
  /** The core program's context; also active while a task context is being filled. */
  initial?: ParserContext;
  /** Stop at the first unknown token and keep the rest in `unparsed` instead of failing. */
  ignoreUnknown?: boolean;
}

/** Invoke's argv grammar: `[core flags] task1 [task1 flags] task2 ... [-- remainder]`. */
export class Parser {
  readonly initial: ParserContext | undefined;
  readonly ignoreUnknown: boolean;
  private readonly byName = new Map<string, ParserContext>();

  constructor(options: ParserOptions = {}) {
    this.initial = options.initial;
    this.ignoreUnknown = options.ignoreUnknown ?? false;
    for (const context of options.contexts ?? []) {
      if (!context.name) throw new Error("Non-initial contexts must have names.");
      for (const name of [context.name, ...context.aliases]) {
        if (this.byName.has(name))
          throw new Error(`A context named/aliased '${name}' is already in this parser!`);
        this.byName.set(name, context);
      }
    }
  }

  /** Every task name and alias this parser knows. */
  get taskNames(): string[] {
    return [...this.byName.keys()];
  }

  parseArgv(argv: readonly string[]): ParseResult {
    return new ParseRun(this, this.byName).run(argv);
  }
}

/** State of one parse. */
class ParseRun {
  private readonly contexts: ParserContext[] = [];
  private readonly unparsed: string[] = [];
  private readonly initial: ParserContext | undefined;
  private current: ParserContext | undefined;
  /** A flag that was given and still waits for its value. */
  private waiting: { arg: Argument; flag: string; owner: ParserContext } | undefined;

  constructor(
    private readonly parser: Parser,
    private readonly byName: ReadonlyMap<string, ParserContext>,
  ) {
    this.initial = parser.initial?.clone();
    this.current = this.initial;
    if (this.initial) this.contexts.push(this.initial);
  }

  run(argv: readonly string[]): ParseResult {
    const split = argv.indexOf("--");
    const body = split === -1 ? argv : argv.slice(0, split);
    const remainder = split === -1 ? "" : argv.slice(split + 1).join(" ");
    for (let i = 0; i < body.length; i++) {
      const token = body[i]!;
      if (this.handleToken(token) === "stop") {
        this.unparsed.push(...body.slice(i));
        break;
      }
    }
    this.completeFlag();
    this.completeContext();
    return { contexts: this.contexts, remainder, unparsed: this.unparsed };
  }

  private handleToken(token: string): "stop" | undefined {
    // A value-taking flag swallows the next token verbatim (`-s -x`, `--msg --`).
    if (this.waiting && !this.waiting.arg.optional) {
      this.setWaitingValue(token);
      return;
    }
    const rewritten = this.rewrite(token);
    if (rewritten) {
      for (const [flag, value] of rewritten) {
        if (this.handle(flag) === "stop") return "stop";
        if (value !== undefined) this.bindValue(flag, value);
      }
      return;
    }
    return this.handle(token);
  }

  /** `--foo=bar`, `-f=bar`, `-fbar` and `-abc` into flags and bound values; undefined if untouched. */
  private rewrite(token: string): Array<[string, string | undefined]> | undefined {
    if (token.startsWith("--") && token.includes("=")) {
      const at = token.indexOf("=");
      return [[token.slice(0, at), token.slice(at + 1)]];
    }
    if (!/^-[^-]/.test(token) || token.length <= 2) return undefined;
    const first = token.slice(0, 2);
    if (this.waiting?.arg.optional && !this.isKnownFlag(first)) return undefined;
    if (token[2] === "=") return [[first, token.slice(3)]];
    const arg = this.lookupFlag(first);
    if (arg?.takesValue) return [[first, token.slice(2)]];
    if (!arg) return undefined;
    return [...token.slice(1)].map((ch): [string, undefined] => [`-${ch}`, undefined]);
  }

  private handle(token: string): "stop" | undefined {
    const current = this.current;
    if (current && (current.flags.has(token) || current.inverseFlags.has(token))) {
      this.switchToFlag(token, current);
      return;
    }
    if (this.waiting) {
      if (!this.initialFlagOutranks(token)) {
        this.checkAmbiguity(token);
        this.setWaitingValue(token);
        return;
      }
    }
    const missing = current?.missingPositionalArgs ?? [];
    // Unlike Invoke, a core flag (`inv deploy --help`) is never swallowed as a positional value.
    const coreFlag =
      !!this.initial && (this.initial.flags.has(token) || this.initial.inverseFlags.has(token));
    if (current && current !== this.initial && missing.length > 0 && !coreFlag) {
      missing[0]!.setValue(token);
      return;
    }
    const template = this.byName.get(token);
    if (template) {
      this.completeFlag();
      this.completeContext();
      this.current = template.clone();
      this.contexts.push(this.current);
      return;
    }
    if (this.initial && (this.initial.flags.has(token) || this.initial.inverseFlags.has(token))) {
      this.switchToFlag(token, this.initial);
      // `inv build --help` means "help for build".
      const arg = this.initial.flags.get(token);
      if (arg?.name === "help" && current && current !== this.initial && current.name) {
        arg.setValue(current.name);
        this.waiting = undefined;
      }
      return;
    }
    if (this.parser.ignoreUnknown) return "stop";
    throw new ParseError(this.unknownMessage(token), current);
  }

  private initialFlagOutranks(token: string): boolean {
    return !!this.waiting?.arg.optional && !!this.initial?.flags.has(token) && this.current !== this.initial;
  }

  private switchToFlag(token: string, owner: ParserContext): void {
    this.completeFlag();
    const inverse = owner.inverseFlags.get(token);
    const arg = owner.flags.get(inverse ?? token)!;
    if (inverse) {
      arg.setValue(false);
    } else if (!arg.takesValue) {
      arg.setValue(true);
    } else {
      this.waiting = { arg, flag: token, owner };
    }
  }

  private bindValue(flag: string, value: string): void {
    const waiting = this.waiting;
    if (!waiting || waiting.flag !== flag) {
      throw new ParseError(`Flag ${quote(flag)} doesn't take any value!`, this.current);
    }
    this.setWaitingValue(value);
  }

  private setWaitingValue(value: string): void {
    const waiting = this.waiting!;
    try {
      waiting.arg.setValue(value);
    } catch (error) {
      if (error instanceof ParseError) throw new ParseError(error.message, this.current);
      throw error;
    }
    this.waiting = undefined;
  }

  private checkAmbiguity(token: string): void {
    const current = this.current;
    const unfilled = current && current !== this.initial && current.missingPositionalArgs.length > 0;
    if (this.byName.has(token) || unfilled) {
      throw new ParseError(`${quote(token)} is ambiguous when given after an optional-value flag`, current);
    }
  }

  private completeFlag(): void {
    const waiting = this.waiting;
    if (!waiting) return;
    this.waiting = undefined;
    if (waiting.arg.optional) {
      waiting.arg.setValue(true);
      return;
    }
    throw new ParseError(`Flag ${quote(waiting.flag)} needed value and was not given one!`, this.current);
  }

  private completeContext(): void {
    const current = this.current;
    if (!current || current === this.initial) return;
    // Asking for help must not fail on the arguments the task would need.
    if (this.initial?.args.get("help")?.gotValue) return;
    const missing = current.missingPositionalArgs;
    if (missing.length > 0) {
      const names = missing.map((arg) => quote(arg.name)).join(", ");
      throw new ParseError(
        `${quote(current.name ?? "")} did not receive required positional arguments: ${names}`,
        current,
      );
    }
  }

  private lookupFlag(flag: string): Argument | undefined {
    const current = this.current;
    return current?.flags.get(flag) ?? this.initial?.flags.get(flag);
  }

  private isKnownFlag(flag: string): boolean {
    return !!this.lookupFlag(flag) || !!this.current?.inverseFlags.has(flag);
  }

  private unknownMessage(token: string): string {
    const base = `No idea what ${quote(token)} is!`;
    const candidates = token.startsWith("-")
      ? [
          ...(this.current?.flags.keys() ?? []),
          ...(this.current?.inverseFlags.keys() ?? []),
          ...(this.initial?.flags.keys() ?? []),
        ].filter((flag) => flag.startsWith("--"))
      : this.byName.keys();
    const hint = closest(token, candidates);
    return hint ? `${base}\nDid you mean ${quote(hint)}?` : base;
  }
}
