import { ConfigError } from "../errors.js";
import { checkConfigData } from "./data-shape.js";
import { isSecretPath } from "./secrets.js";

const NUMBER = /^-?(0|[1-9]\d*)(\.\d+)?([eE][+-]?\d+)?$/;

/**
 * Types the text of `--set key=value`: `true`/`false`, `null`, decimal numbers (not `007`, which
 * stays a string), JSON arrays/objects/quoted strings (`'"123"'` forces a string); anything else,
 * including malformed JSON, is the text itself.
 */
export function parseSetValue(text: string): unknown {
  if (text === "true") return true;
  if (text === "false") return false;
  if (text === "null") return null;
  if (NUMBER.test(text)) return Number(text);
  const first = text[0];
  if (first === "[" || first === "{" || first === '"') {
    try {
      return JSON.parse(text);
    } catch {
      return text;
    }
  }
  return text;
}

/** Splits `key.path=value` at the first `=` and types the value. */
export function parseSetArgument(text: string): { path: string; value: unknown } {
  const at = text.indexOf("=");
  const path = at < 0 ? "" : text.slice(0, at).trim();
  if (path === "" || path.split(".").some((part) => part === "" || part === "__proto__")) {
    // The value is never echoed when the key looks secret (`sudo..password=…`).
    const shown =
      at >= 0 && isSecretPath(text.slice(0, at).split(".")) ? `${text.slice(0, at)}=<hidden>` : text;
    throw new ConfigError(`--set: expected key.path=value, got ${JSON.stringify(shown)}`, {
      code: "INVALID_SET_ARGUMENT",
      source: "--set",
    });
  }
  const value = parseSetValue(text.slice(at + 1));
  checkConfigData(value, { source: `--set ${path}` });
  return { path, value };
}
