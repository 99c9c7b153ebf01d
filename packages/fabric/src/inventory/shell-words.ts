/**
 * POSIX shell-like word splitting with `#` comments, as Python's `shlex.split(line, comments=True)`
 * does: quotes group, backslash escapes, a `#` ends the line even inside a word.
 * @throws {Error} on an unterminated quote ("No closing quotation") or a trailing backslash.
 */
export function shellWords(line: string): string[] {
  const words: string[] = [];
  let word = "";
  let inWord = false;
  let i = 0;
  const flush = () => {
    if (inWord) words.push(word);
    word = "";
    inWord = false;
  };
  while (i < line.length) {
    const c = line[i]!;
    if (c === " " || c === "\t" || c === "\r" || c === "\n") {
      flush();
      i += 1;
    } else if (c === "#") {
      break;
    } else if (c === "'") {
      const end = line.indexOf("'", i + 1);
      if (end === -1) throw new Error("No closing quotation");
      word += line.slice(i + 1, end);
      inWord = true;
      i = end + 1;
    } else if (c === '"') {
      i += 1;
      inWord = true;
      for (;;) {
        if (i >= line.length) throw new Error("No closing quotation");
        const d = line[i]!;
        if (d === '"') {
          i += 1;
          break;
        }
        if (d === "\\" && (line[i + 1] === '"' || line[i + 1] === "\\")) {
          word += line[i + 1];
          i += 2;
          continue;
        }
        word += d;
        i += 1;
      }
    } else if (c === "\\") {
      if (i + 1 >= line.length) throw new Error("No escaped character");
      word += line[i + 1];
      inWord = true;
      i += 2;
    } else {
      word += c;
      inWord = true;
      i += 1;
    }
  }
  flush();
  return words;
}
