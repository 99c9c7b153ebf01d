import type { Config } from "./config/config.js";
import { isSecretPath, secretValues } from "./config/secrets.js";

/** What a redacted secret is replaced with. */
export const REDACTED = "****";

/**
 * The secret values of one program run (sudo password, login password, key passphrase, tokens …),
 * from wherever they came: config files, environment variables, `--set`, prompts. `redact()` scrubs
 * them from any text before it is printed: debug lines, error messages, `--json` events.
 */
export class SecretRedactor {
  readonly #secrets = new Set<string>();

  /** Never print this value. Empty values are ignored. */
  add(secret: string | null | undefined): void {
    if (typeof secret === "string" && secret !== "") this.#secrets.add(secret);
  }

  /** Every value under a secret key (`password`, `passphrase`, `token`, `secret` …) of the config. */
  addFromConfig(config: Pick<Config, "data">): void {
    for (const value of secretValues(config.data)) this.add(value);
  }

  /** The value of a `--set key.path=value` argument whose key is a secret, as typed and as parsed. */
  addFromSetArgument(text: string): void {
    const at = text.indexOf("=");
    if (at < 0 || !isSecretPath(text.slice(0, at).split("."))) return;
    const raw = text.slice(at + 1);
    this.add(raw);
    try {
      for (const value of secretValues(JSON.parse(raw), ["secret"])) this.add(value);
    } catch {
      // not JSON: the raw text is the value
    }
  }

  /** `text` with every registered secret replaced by {@link REDACTED}. Longer secrets first. */
  redact(text: string): string {
    if (this.#secrets.size === 0) return text;
    let out = text;
    for (const secret of [...this.#secrets].sort((a, b) => b.length - a.length)) {
      if (out.includes(secret)) out = out.split(secret).join(REDACTED);
      // JSON output escapes quotes and backslashes: scrub the escaped form too.
      const escaped = JSON.stringify(secret).slice(1, -1);
      if (escaped !== secret && out.includes(escaped)) out = out.split(escaped).join(REDACTED);
    }
    return out;
  }
}
