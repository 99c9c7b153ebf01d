/** Width of the terminal: the TTY's, else `$COLUMNS`, else 80. */
export function terminalColumns(stream: NodeJS.WriteStream = process.stdout): number {
  if (stream.isTTY && stream.columns) return stream.columns;
  const env = Number.parseInt(process.env.COLUMNS ?? "", 10);
  return Number.isFinite(env) && env > 0 ? env : 80;
}

/** A row of a two-column listing; `help` null means "no help column". */
export type ColumnRow = readonly [name: string, help: string | null];

const INDENT = 2;
const PADDING = 3;

/**
 * Invoke's column layout: 2-space indent, names padded to the widest plus 3 spaces, help wrapped
 * to the rest of the terminal with continuation lines aligned. One line per row, each ending in "\n".
 */
export function formatColumns(rows: readonly ColumnRow[], cols: number): string {
  const nameWidth = Math.max(0, ...rows.map(([name]) => name.length)) + PADDING;
  const helpWidth = Math.max(10, cols - nameWidth - INDENT - 1);
  let out = "";
  for (const [name, help] of rows) {
    const chunks = help ? wrap(help, helpWidth) : [];
    if (chunks.length === 0) {
      out += `${" ".repeat(INDENT)}${name}\n`;
      continue;
    }
    out += `${" ".repeat(INDENT)}${name.padEnd(nameWidth)}${chunks[0]}\n`;
    for (const chunk of chunks.slice(1)) out += `${" ".repeat(INDENT + nameWidth)}${chunk}\n`;
  }
  return out;
}

/** Greedy word wrap (like Python's textwrap): words longer than the width are split. */
export function wrap(text: string, width: number): string[] {
  const lines: string[] = [];
  let line = "";
  for (let word of text.split(/\s+/).filter(Boolean)) {
    while (word.length > width) {
      if (line) {
        lines.push(line);
        line = "";
      }
      lines.push(word.slice(0, width));
      word = word.slice(width);
    }
    if (!line) line = word;
    else if (line.length + 1 + word.length <= width) line += ` ${word}`;
    else {
      lines.push(line);
      line = word;
    }
  }
  if (line) lines.push(line);
  return lines;
}

/** Remove common indentation and surrounding blank lines (for multi-line `doc` strings). */
export function dedent(text: string): string {
  const lines = text.replace(/\t/g, "    ").split("\n");
  while (lines.length && lines[0]!.trim() === "") lines.shift();
  while (lines.length && lines.at(-1)!.trim() === "") lines.pop();
  // The first line often starts right after the opening quote, so it does not set the indent.
  const rest = lines.slice(1).filter((l) => l.trim() !== "");
  const indent = Math.min(...rest.map((l) => l.length - l.trimStart().length), Number.POSITIVE_INFINITY);
  const cut = Number.isFinite(indent) ? indent : 0;
  return lines
    .map((l, i) => (i === 0 ? l.trim() : l.slice(Math.min(cut, l.length - l.trimStart().length))))
    .join("\n");
}
