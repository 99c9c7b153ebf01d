/**
 * Values of an INI inventory are typed the way Ansible types them: the text is read as a Python
 * literal (numbers, quoted strings, True/False/None, lists, tuples, dicts) and kept as the plain
 * string when it is not one (`yes`, `foo # bar`, `010`).
 */
export type InventoryValue =
  | string
  | number
  | boolean
  | null
  | InventoryValue[]
  | { [key: string]: InventoryValue };

class NotALiteral extends Error {}

/** The value of `text` as a Python literal, or `text` itself when it is not one. */
export function parseIniValue(text: string): InventoryValue {
  try {
    return new LiteralReader(text).read();
  } catch (error) {
    if (error instanceof NotALiteral) return text;
    throw error;
  }
}

const NUMBER =
  /^(?:0[xX](?:_?[0-9a-fA-F])+|0[oO](?:_?[0-7])+|0[bB](?:_?[01])+|(?:[0-9](?:_?[0-9])*)?\.?(?:[0-9](?:_?[0-9])*)?(?:[eE][+-]?[0-9](?:_?[0-9])*)?)/;

class LiteralReader {
  #pos = 0;
  readonly #text: string;

  constructor(text: string) {
    this.#text = text.replace(/^[ \t]+/, "");
  }

  read(): InventoryValue {
    const value = this.#expression();
    this.#skip();
    if (this.#pos !== this.#text.length) throw new NotALiteral();
    return value;
  }

  /** Blanks and a trailing `# comment` (Python source allows both). */
  #skip(): void {
    const text = this.#text;
    for (;;) {
      while (this.#pos < text.length && " \t\f\r\n".includes(text[this.#pos]!)) this.#pos += 1;
      if (text[this.#pos] !== "#") return;
      while (this.#pos < text.length && text[this.#pos] !== "\n") this.#pos += 1;
    }
  }

  #peek(): string {
    this.#skip();
    return this.#text[this.#pos] ?? "";
  }

  #expression(): InventoryValue {
    const c = this.#peek();
    if (c === "-" || c === "+") {
      this.#pos += 1;
      const operand = this.#expression();
      if (typeof operand !== "number" || typeof operand === "boolean") throw new NotALiteral();
      return c === "-" ? -operand : operand;
    }
    if (c === "[") return this.#sequence("]");
    if (c === "(") return this.#parenthesised();
    if (c === "{") return this.#mapping();
    if (/[0-9.]/.test(c)) return this.#number();
    const word = /^[A-Za-z_][A-Za-z0-9_]*/.exec(this.#text.slice(this.#pos))?.[0];
    if (word !== undefined) {
      const after = this.#text[this.#pos + word.length];
      if (/^(?:[rRbBuU]|[rR][bB]|[bB][rR])$/.test(word) && (after === "'" || after === '"'))
        return this.#strings();
      this.#pos += word.length;
      if (word === "True") return true;
      if (word === "False") return false;
      if (word === "None") return null;
      throw new NotALiteral();
    }
    if (c === "'" || c === '"') return this.#strings();
    throw new NotALiteral();
  }

  #number(): number {
    const match = NUMBER.exec(this.#text.slice(this.#pos));
    const raw = match?.[0] ?? "";
    if (raw === "" || raw === ".") throw new NotALiteral();
    this.#pos += raw.length;
    if (/^[jJ]/.test(this.#text.slice(this.#pos))) throw new NotALiteral(); // complex numbers
    const clean = raw.replaceAll("_", "");
    if (/^0[xXoObB]/.test(clean)) return Number(clean);
    if (/[.eE]/.test(clean)) return Number(clean);
    // Python rejects leading zeros on non-zero decimal integers (`010`).
    if (/^0+[1-9]/.test(clean)) throw new NotALiteral();
    return Number(clean);
  }

  /** One or more adjacent string literals, concatenated as Python does. */
  #strings(): string {
    let out = "";
    let count = 0;
    for (;;) {
      const c = this.#peek();
      const prefix = /^(?:[rRbBuU]|[rR][bB]|[bB][rR])?(?=['"])/.exec(this.#text.slice(this.#pos))?.[0];
      if (prefix === undefined || !(c === "'" || c === '"' || /[rRbBuU]/.test(c))) break;
      this.#pos += prefix.length;
      out += this.#string(/[rR]/.test(prefix));
      count += 1;
    }
    if (count === 0) throw new NotALiteral();
    return out;
  }

  #string(raw: boolean): string {
    const text = this.#text;
    const quote = text[this.#pos]!;
    const triple = text.startsWith(quote.repeat(3), this.#pos);
    const close = triple ? quote.repeat(3) : quote;
    this.#pos += close.length;
    let out = "";
    for (;;) {
      if (this.#pos >= text.length) throw new NotALiteral();
      if (text.startsWith(close, this.#pos)) {
        this.#pos += close.length;
        return out;
      }
      const ch = text[this.#pos]!;
      if (ch === "\n" && !triple) throw new NotALiteral();
      if (ch !== "\\") {
        out += ch;
        this.#pos += 1;
        continue;
      }
      const next = text[this.#pos + 1];
      if (next === undefined) throw new NotALiteral();
      if (raw) {
        out += ch + next;
        this.#pos += 2;
        continue;
      }
      this.#pos += 2;
      out += this.#escape(next);
    }
  }

  #escape(next: string): string {
    const simple: Record<string, string> = {
      "\n": "",
      "\\": "\\",
      "'": "'",
      '"': '"',
      a: "\x07",
      b: "\b",
      f: "\f",
      n: "\n",
      r: "\r",
      t: "\t",
      v: "\v",
    };
    if (next in simple) return simple[next]!;
    const hex = (length: number) => {
      const digits = this.#text.slice(this.#pos, this.#pos + length);
      if (!new RegExp(`^[0-9a-fA-F]{${length}}$`).test(digits)) throw new NotALiteral();
      this.#pos += length;
      return String.fromCodePoint(Number.parseInt(digits, 16));
    };
    if (next === "x") return hex(2);
    if (next === "u") return hex(4);
    if (next === "U") return hex(8);
    if (/[0-7]/.test(next)) {
      let digits = next;
      while (digits.length < 3 && /[0-7]/.test(this.#text[this.#pos] ?? "")) {
        digits += this.#text[this.#pos];
        this.#pos += 1;
      }
      return String.fromCodePoint(Number.parseInt(digits, 8));
    }
    return `\\${next}`;
  }

  /** Items up to `close`, after the character at the cursor (an opening bracket or a first comma). */
  #sequence(close: string): InventoryValue[] {
    this.#pos += 1;
    const items: InventoryValue[] = [];
    for (;;) {
      if (this.#peek() === close) {
        this.#pos += 1;
        return items;
      }
      items.push(this.#expression());
      const c = this.#peek();
      if (c === ",") this.#pos += 1;
      else if (c !== close) throw new NotALiteral();
    }
  }

  /** `(x)` is x; `()`, `(x,)` and `(x, y)` are tuples (arrays here). */
  #parenthesised(): InventoryValue {
    this.#pos += 1;
    if (this.#peek() === ")") {
      this.#pos += 1;
      return [];
    }
    const first = this.#expression();
    if (this.#peek() === ")") {
      this.#pos += 1;
      return first;
    }
    if (this.#peek() !== ",") throw new NotALiteral();
    const rest = this.#sequence(")"); // from the comma on
    return [first, ...rest];
  }

  /** `{k: v, …}`; a set literal (`{1, 2}`) is not something inventory output can hold. */
  #mapping(): { [key: string]: InventoryValue } {
    this.#pos += 1;
    const out: { [key: string]: InventoryValue } = {};
    for (;;) {
      if (this.#peek() === "}") {
        this.#pos += 1;
        return out;
      }
      const key = this.#expression();
      if (this.#peek() !== ":") throw new NotALiteral();
      this.#pos += 1;
      const value = this.#expression();
      if (key !== null && typeof key === "object") throw new NotALiteral();
      out[pythonKey(key)] = value;
      const c = this.#peek();
      if (c === ",") this.#pos += 1;
      else if (c !== "}") throw new NotALiteral();
    }
  }
}

/** How a dict key appears once serialised to JSON (Python's json module: True → "true"). */
function pythonKey(key: string | number | boolean | null): string {
  if (key === null) return "null";
  return String(key);
}
