// yaml, zod and jiti each add 40-70 ms to start-up, so they are required on first use only
// (synchronously, so that YAML/JSON config loading can stay synchronous).
import { createRequire } from "node:module";

type YamlModule = typeof import("yaml");
type ZodModule = typeof import("zod");
type JitiModule = typeof import("jiti");

const requireHere = createRequire(import.meta.url);
let yamlModule: YamlModule | undefined;
let zodModule: ZodModule | undefined;
let jitiModule: JitiModule | undefined;

export function loadYaml(): YamlModule {
  yamlModule ??= requireHere("yaml") as YamlModule;
  return yamlModule;
}

export function loadZod(): ZodModule {
  zodModule ??= requireHere("zod") as ZodModule;
  return zodModule;
}

export function loadJiti(): JitiModule {
  jitiModule ??= requireHere("jiti") as JitiModule;
  return jitiModule;
}
