// Fabric 1's `prompt` and `confirm`: ask on the terminal, or take the answer from config/env so the
// same fabfile runs in CI. One question at a time, even when hosts run in parallel.
import { createInterface } from "node:readline";
import { Writable } from "node:stream";
import { InvalidAnswer, PromptUnavailable } from "../errors/index.js";
import { type ConfigReader, helperSession } from "./helper-session.js";

/** Checks an answer: a RegExp it must match entirely, or a function returning an error message (or nothing when fine). */
export type AnswerCheck = RegExp | ((answer: string) => string | undefined | Promise<string | undefined>);

interface AnswerSources {
  /**
   * The answer's key: `fab --set prompts.<name>=…` (any config level: `prompts: { name: … }` in
   * fabric.yaml) or the env var `FABRIC_PROMPT_<NAME>` (upper-cased, other characters `_`) answer
   * without asking.
   */
  name?: string;
  /** Where answers are looked up. @default the running `fab` session's config (none outside fab) */
  config?: ConfigReader;
  /** Where env answers are looked up. @default process.env */
  env?: NodeJS.ProcessEnv;
}

export interface PromptOptions extends AnswerSources {
  /** Taken when the user just presses Enter; shown in brackets. */
  default?: string;
  /** Asked again on the terminal until this passes; an answer from config/env that fails it is an error. */
  validate?: AnswerCheck;
  /** Do not echo what is typed (passwords). */
  secret?: boolean;
}

export interface ConfirmOptions extends AnswerSources {
  /** The answer to a bare Enter. @default true */
  default?: boolean;
}

/** `FABRIC_PROMPT_DB_PASSWORD` for `db.password`. */
export function promptEnvName(name: string): string {
  return `FABRIC_PROMPT_${name.toUpperCase().replace(/[^A-Z0-9]+/g, "_")}`;
}

/**
 * Ask a question and resolve to the answer (Fabric 1's `prompt`). An answer given in config
 * (`prompts.<name>`) or env (`FABRIC_PROMPT_<NAME>`) is used without asking; otherwise the question
 * is asked on the terminal (on stderr), again until `validate` passes.
 * @throws {PromptUnavailable} when an answer is needed and stdin is not a terminal.
 * @throws {InvalidAnswer} when a given answer fails `validate`.
 */
export async function prompt(question: string, options: PromptOptions = {}): Promise<string> {
  const given = givenAnswer(options);
  if (given !== undefined) {
    const problem = await check(given, options.validate);
    if (problem)
      throw new InvalidAnswer(
        `the answer to "${question.trim()}" (${sourceOf(options)}) is invalid: ${problem}`,
      );
    return given;
  }
  requireTerminal(question, options, "");
  const shown = `${question.trimEnd()}${options.default !== undefined ? ` [${options.default}]` : ""} `;
  return oneAtATime(async () => {
    for (;;) {
      const typed = await readLine(shown, options.secret ?? false);
      const answer = typed === "" && options.default !== undefined ? options.default : typed;
      const problem = await check(answer, options.validate);
      if (!problem) return answer;
      process.stderr.write(`${problem}\n`);
    }
  });
}

/**
 * Ask a yes/no question (Fabric 1's `confirm`). `fab --yes` (config `prompts.yes`) answers yes to
 * every confirm; `prompts.<name>` / `FABRIC_PROMPT_<NAME>` answer one (yes/no, true/false, y/n, 1/0).
 * @throws {PromptUnavailable} when an answer is needed and stdin is not a terminal.
 */
export async function confirm(question: string, options: ConfirmOptions = {}): Promise<boolean> {
  const given = givenAnswer(options);
  if (given !== undefined) {
    const value = yesNo(given);
    if (value === undefined)
      throw new InvalidAnswer(
        `the answer to "${question.trim()}" (${sourceOf(options)}) is not yes or no: ${given}`,
      );
    return value;
  }
  if (configOf(options)?.get<unknown>("prompts.yes", false) === true) return true;
  const fallback = options.default ?? true;
  requireTerminal(question, options, " or `fab --yes`");
  const shown = `${question.trimEnd()} ${fallback ? "[Y/n]" : "[y/N]"} `;
  return oneAtATime(async () => {
    for (;;) {
      const typed = (await readLine(shown, false)).trim();
      if (typed === "") return fallback;
      const value = yesNo(typed);
      if (value !== undefined) return value;
      process.stderr.write("Please answer y or n.\n");
    }
  });
}

function configOf(options: AnswerSources): ConfigReader | undefined {
  return options.config ?? helperSession()?.config;
}

function givenAnswer(options: AnswerSources): string | undefined {
  if (options.name === undefined) return undefined;
  if (typeof options.name !== "string" || options.name === "")
    throw new TypeError("a prompt name must be a non-empty string");
  const configured = configOf(options)?.get<unknown>(`prompts.${options.name}`, undefined);
  if (configured !== undefined && configured !== null) return String(configured);
  return (options.env ?? process.env)[promptEnvName(options.name)];
}

function sourceOf(options: AnswerSources): string {
  const name = options.name ?? "";
  return configOf(options)?.get<unknown>(`prompts.${name}`, undefined) !== undefined
    ? `config prompts.${name}`
    : promptEnvName(name);
}

function requireTerminal(question: string, options: AnswerSources, also: string): void {
  if (process.stdin.isTTY) return;
  const how = options.name
    ? `answer it with \`fab --set prompts.${options.name}=…\` or ${promptEnvName(options.name)}=…${also}`
    : `give the prompt a name ({ name }) to answer it from config or env${also}`;
  throw new PromptUnavailable(`"${question.trim()}" needs an answer but stdin is not a terminal: ${how}`);
}

async function check(answer: string, validate: AnswerCheck | undefined): Promise<string | undefined> {
  if (validate === undefined) return undefined;
  if (validate instanceof RegExp) {
    const whole = new RegExp(`^(?:${validate.source})$`, validate.flags.replace(/[gy]/g, ""));
    return whole.test(answer) ? undefined : `must match ${validate}`;
  }
  try {
    return (await validate(answer)) || undefined;
  } catch (error) {
    return error instanceof Error ? error.message : String(error);
  }
}

function yesNo(text: string): boolean | undefined {
  const word = text.trim().toLowerCase();
  if (["y", "yes", "true", "1", "on"].includes(word)) return true;
  if (["n", "no", "false", "0", "off"].includes(word)) return false;
  return undefined;
}

// The terminal is one per process: questions from hosts running in parallel wait their turn.
const QUEUE = Symbol.for("fabric-ts.helpers.prompt-queue");
const holder = globalThis as { [QUEUE]?: Promise<unknown> };

function oneAtATime<T>(ask: () => Promise<T>): Promise<T> {
  const previous = holder[QUEUE] ?? Promise.resolve();
  const mine = previous.catch(() => undefined).then(ask);
  holder[QUEUE] = mine.catch(() => undefined);
  return mine;
}

/** One line from the terminal; the question goes to stderr; `secret` echoes nothing. */
async function readLine(question: string, secret: boolean): Promise<string> {
  const muted = new Writable({ write: (_chunk, _encoding, done) => done() });
  const rl = createInterface({
    input: process.stdin,
    output: secret ? muted : process.stderr,
    terminal: true,
  });
  process.stderr.write(question);
  try {
    return await new Promise<string>((resolve, reject) => {
      rl.once("line", resolve);
      rl.once("SIGINT", () => reject(new PromptUnavailable(`interrupted: ${question.trim()}`)));
      rl.once("close", () => reject(new PromptUnavailable(`no answer (end of input): ${question.trim()}`)));
    });
  } finally {
    rl.close();
    if (secret) process.stderr.write("\n");
  }
}
