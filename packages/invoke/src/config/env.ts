import { AmbiguousEnvVar, UncastableEnvVar } from "../errors.js";
import { isSecretPath } from "./secrets.js";
import { type ConfigTree, leaves, snakeCase } from "./tree.js";
import { describeValue } from "./validate.js";

/** One environment variable that targets an existing config key. */
export interface EnvMatch {
  envVar: string;
  keyPath: string[];
  raw: string;
  /** The value the key has below the env level (decides the type the text is cast to). */
  current: unknown;
}

/** `run.replaceEnv` → `RUN_REPLACE_ENV` (without prefix); built from the snake_case form of each key. */
export function envVarName(keyPath: readonly string[]): string {
  return keyPath
    .map((key) => snakeCase(key))
    .join("_")
    .toUpperCase();
}

/**
 * The environment variables in `env` that name a leaf of `tree` (`{prefix}RUN_ECHO` → `run.echo`).
 * Only keys that already exist can be set this way; unknown variables are ignored. Two key paths
 * with the same name (`foo.bar` and `foo_bar`) are an `AmbiguousEnvVar`, but only when that variable
 * is actually set, so such trees stay usable.
 */
export function matchEnvVars(tree: ConfigTree, env: NodeJS.ProcessEnv, prefix: string): EnvMatch[] {
  const byName = new Map<string, { keyPath: string[]; current: unknown }[]>();
  for (const [keyPath, current] of leaves(tree)) {
    const name = envVarName(keyPath);
    const list = byName.get(name) ?? [];
    list.push({ keyPath, current });
    byName.set(name, list);
  }
  const matches: EnvMatch[] = [];
  for (const [name, targets] of byName) {
    const envVar = `${prefix}${name}`;
    const raw = env[envVar];
    if (raw === undefined) continue;
    if (targets.length > 1) {
      throw new AmbiguousEnvVar(
        envVar,
        name,
        targets.map((t) => t.keyPath.join(".")),
      );
    }
    const [target] = targets;
    matches.push({ envVar, keyPath: target!.keyPath, raw, current: target!.current });
  }
  return matches;
}

/** Text that means false for a boolean key; anything else is true. */
const FALSE_WORDS = new Set(["", "0", "false", "no", "off"]);

/**
 * Casts env text to the type of the value it replaces: boolean (false for "", "0", "false", "no",
 * "off", any case), number (must parse completely, to a finite number), string. Lists and objects
 * cannot be expressed.
 * `null`/missing current values are returned as-is (undefined) for the caller to resolve.
 */
export function castEnvValue(match: EnvMatch): unknown {
  const { raw, current, envVar, keyPath } = match;
  if (typeof current === "boolean") return !FALSE_WORDS.has(raw.trim().toLowerCase());
  if (typeof current === "string") return raw;
  if (typeof current === "number") {
    const value = raw.trim() === "" ? Number.NaN : Number(raw);
    // "Infinity" parses, but is no usable setting (and JSON turns it into null).
    if (!Number.isFinite(value)) throw uncastable(match, "a number");
    return value;
  }
  if (current === null || current === undefined) return undefined;
  throw uncastable(match, Array.isArray(current) ? "a list" : describeValue(current));
  function uncastable(m: EnvMatch, into: string): UncastableEnvVar {
    const shown = isSecretPath(m.keyPath) ? "" : ` (${m.envVar}=${JSON.stringify(m.raw)})`;
    return new UncastableEnvVar(
      `Can't adapt an environment string into ${into}!${shown}`,
      envVar,
      keyPath.join("."),
    );
  }
}

/** Candidate values for env text aimed at a null key, in the order they are tried against its schema. */
export function nullKeyCandidates(raw: string): unknown[] {
  const candidates: unknown[] = [raw];
  const number = raw.trim() === "" ? Number.NaN : Number(raw);
  if (!Number.isNaN(number)) candidates.push(number);
  candidates.push(!FALSE_WORDS.has(raw.trim().toLowerCase()));
  return candidates;
}
