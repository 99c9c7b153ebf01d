import { castEnvValue, matchEnvVars, nullKeyCandidates } from "./env.js";
import { type KnownKeys, keepsSimpleType, knownSchemaAt } from "./known-keys.js";
import { type ConfigTree, lookup, setAt } from "./tree.js";
import { validateLayer } from "./validate.js";

/** The environment variable behind one key of the env level. */
export interface EnvSource {
  envVar: string;
  keyPath: string[];
}

/** The env level and where each of its keys came from. */
export interface EnvLayer {
  tree: ConfigTree;
  sources: EnvSource[];
}

/**
 * Builds the env level from `{prefix}*` variables: only keys of `below` (the merged levels under
 * the env level) can be set; each value is cast to the type of the value it replaces. A key whose
 * current value is null takes its type from the schema (user keys get the text); known keys are
 * validated, the variable named as the error's source.
 */
export function buildEnvLayer(
  below: ConfigTree,
  env: NodeJS.ProcessEnv,
  prefix: string,
  known: KnownKeys,
): EnvLayer {
  const tree: ConfigTree = {};
  const sources: EnvSource[] = [];
  for (const match of matchEnvVars(below, env, prefix)) {
    let value = castEnvValue(match);
    const schema = keepsSimpleType(match.current, value) ? undefined : knownSchemaAt(known, match.keyPath);
    if (value === undefined) {
      value = match.raw;
      if (schema) {
        value =
          nullKeyCandidates(match.raw).find((candidate) => schema.safeParse(candidate).success) ?? match.raw;
      }
    }
    if (schema) {
      const layer: ConfigTree = {};
      setAt(layer, match.keyPath, value);
      const parsed = validateLayer(layer, known.schema, { source: `environment variable ${match.envVar}` });
      value = lookup(parsed, match.keyPath).value;
    }
    setAt(tree, match.keyPath, value);
    sources.push({ envVar: match.envVar, keyPath: match.keyPath });
  }
  return { tree, sources };
}
