/** Terminal helpers. */

export interface TerminalSize {
  columns: number;
  rows: number;
}

/**
 * The size of the terminal on stdout (or `stream`), used for pseudo-terminals; 80x24 when there is none.
 */
export function ptySize(stream: NodeJS.WriteStream = process.stdout): TerminalSize {
  const columns = stream.isTTY ? stream.columns : undefined;
  const rows = stream.isTTY ? stream.rows : undefined;
  return { columns: columns && columns > 0 ? columns : 80, rows: rows && rows > 0 ? rows : 24 };
}
