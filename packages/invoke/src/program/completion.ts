import type { Collection } from "../collection.js";
import { ParseError } from "../errors.js";
import { Parser } from "../parser/parser.js";
import { ParserContext } from "../parser/parser-context.js";
import { taskNamesInOrder } from "./list.js";

/**
 * Candidates for `--complete -- <command line so far>`, one per line: flags when the last word
 * starts with a dash (long ones only for `--…`), nothing after a flag that takes a value (so the
 * shell offers file names), otherwise task names (each followed by its aliases).
 */
export function completionCandidates(options: {
  remainder: string;
  binaryNames: readonly string[];
  core: ParserContext;
  collection: Collection | undefined;
}): string[] {
  const words = shellSplit(options.remainder);
  if (words.length && options.binaryNames.includes(basename(words[0]!))) words.shift();
  const taskNames = options.collection ? taskNamesInOrder(options.collection) : [];
  const tail = words.at(-1);
  if (tail === undefined || !tail.startsWith("-")) return taskNames;
  const contexts = options.collection?.toContexts({ ignoreUnknownHelp: true }) ?? [];
  const parser = new Parser({ initial: options.core, contexts });
  let current: ParserContext;
  try {
    current = parser.parseArgv(words).contexts.at(-1) ?? options.core;
  } catch (error) {
    if (!(error instanceof ParseError)) throw error;
    current = error.context instanceof ParserContext ? error.context : options.core;
  }
  const flag = current.flags.get(tail);
  if (!flag && !current.inverseFlags.has(tail)) {
    if (tail === "-") return current.flagNames();
    if (tail.startsWith("--")) return current.flagNames().filter((f) => f.startsWith("--"));
    return [];
  }
  return flag?.takesValue ? [] : taskNames;
}

/** Minimal POSIX-shell word splitting (quotes and backslashes) for completion input. */
export function shellSplit(text: string): string[] {
  const words: string[] = [];
  let word = "";
  let inWord = false;
  let quote: string | undefined;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i]!;
    if (quote) {
      if (ch === quote) quote = undefined;
      else if (ch === "\\" && quote === '"' && i + 1 < text.length) word += text[++i];
      else word += ch;
    } else if (ch === "'" || ch === '"') {
      quote = ch;
      inWord = true;
    } else if (ch === "\\" && i + 1 < text.length) {
      word += text[++i];
      inWord = true;
    } else if (/\s/.test(ch)) {
      if (inWord) words.push(word);
      word = "";
      inWord = false;
    } else {
      word += ch;
      inWord = true;
    }
  }
  if (inWord) words.push(word);
  return words;
}

function basename(path: string): string {
  return path.slice(path.lastIndexOf("/") + 1);
}
