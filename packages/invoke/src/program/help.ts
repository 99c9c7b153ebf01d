import type { ParserContext } from "../parser/parser-context.js";
import { type ColumnRow, dedent, formatColumns } from "./columns.js";

/** `--help` without a task: usage line and core options (plus subcommands in bundled mode). */
export function renderCoreHelp(options: {
  binary: string;
  core: ParserContext;
  cols: number;
  /** Bundled-namespace programs list their subcommands. */
  subcommands?: readonly ColumnRow[];
}): string {
  const usage = options.subcommands
    ? `Usage: ${options.binary} [--core-opts] <subcommand> [--subcommand-opts] ...`
    : `Usage: ${options.binary} [--core-opts] task1 [--task1-opts] ... taskN [--taskN-opts]`;
  let out = `${usage}\n\nCore options:\n\n${formatColumns(options.core.helpTuples(), options.cols)}\n`;
  if (options.subcommands?.length)
    out += `Subcommands:\n\n${formatColumns(options.subcommands, options.cols)}\n`;
  return out;
}

/** `--help TASK`: usage, the task's description and its options. */
export function renderTaskHelp(options: {
  binary: string;
  name: string;
  doc: string | undefined;
  context: ParserContext;
  cols: number;
}): string {
  const tuples = options.context.helpTuples();
  const usage = `Usage: ${options.binary} [--core-opts] ${options.name}${tuples.length ? " [--options]" : ""} [other tasks here ...]`;
  const doc = options.doc?.trim() ? dedent(options.doc) : "none";
  const docBlock = doc
    .split("\n")
    .map((line) => (line.trim() ? `  ${line}` : ""))
    .join("\n");
  const optionsBlock = tuples.length ? formatColumns(tuples, options.cols) : "  none\n";
  return `${usage}\n\nDocstring:\n${docBlock}\n\nOptions:\n${optionsBlock}\n`;
}
