// The Jinja-compatible engine behind uploadTemplate: nunjucks, imported on first use only (nothing
// on fab's start-up path), set up the way Ansible renders templates: no HTML autoescaping, an error
// for an undefined variable, trim_blocks on, Jinja's Python-isms (`True`, `d.items()`, slices) and
// Ansible's most used filters.
import { basename, dirname } from "node:path/posix";
import { shellQuote } from "@fabric-ts/invoke";
import type { Environment } from "nunjucks";

export interface RenderOptions {
  /** More directories searched for `{% include %}` / `{% extends %}` (after the template's own). */
  templateDirs?: readonly string[];
  /** Remove the first newline after a block tag (Jinja's `trim_blocks`; Ansible's default). @default true */
  trimBlocks?: boolean;
  /** Strip blanks before a block tag on its line (Jinja's `lstrip_blocks`). @default false */
  lstripBlocks?: boolean;
  /** An undefined variable is an error (Ansible's default) rather than an empty string. @default true */
  strictUndefined?: boolean;
}

type Nunjucks = typeof import("nunjucks");
let loading: Promise<Nunjucks> | undefined;

async function loadNunjucks(): Promise<Nunjucks> {
  loading ??= import("nunjucks").then((module) => {
    const nunjucks = ((module as { default?: Nunjucks }).default ?? module) as Nunjucks;
    // Jinja's Python-isms in templates written for Ansible (True/False/None, dict.items(), slices).
    nunjucks.installJinjaCompat();
    return nunjucks;
  });
  return loading;
}

/** A nunjucks Environment configured like Ansible's Jinja, with `dirs` as its search path. */
export async function jinjaEnvironment(
  dirs: readonly string[],
  options: RenderOptions,
): Promise<Environment> {
  const nunjucks = await loadNunjucks();
  const loader = new nunjucks.FileSystemLoader([...dirs], { noCache: true });
  const env = new nunjucks.Environment(loader, {
    autoescape: false,
    throwOnUndefined: options.strictUndefined ?? true,
    trimBlocks: options.trimBlocks ?? true,
    lstripBlocks: options.lstripBlocks ?? false,
  });
  for (const [name, filter] of Object.entries(ANSIBLE_FILTERS)) env.addFilter(name, filter);
  return env;
}

const truthy = new Set(["1", "true", "yes", "on", "y", "t"]);

/** Ansible filters that templates commonly use (the Jinja built-ins come with nunjucks). */
const ANSIBLE_FILTERS: Record<string, (...args: never[]) => unknown> = {
  to_json: (value: unknown) => JSON.stringify(value),
  to_nice_json: (value: unknown, indent = 4) => JSON.stringify(value, null, indent),
  bool: (value: unknown) =>
    typeof value === "string" ? truthy.has(value.trim().toLowerCase()) : Boolean(value),
  mandatory: (value: unknown, message?: string) => {
    if (value === undefined || value === null) throw new Error(message ?? "Mandatory variable not defined.");
    return value;
  },
  regex_replace: (value: unknown, pattern: string, replacement = "", ignoreCase = false) =>
    String(value).replace(
      new RegExp(pattern, `g${ignoreCase ? "i" : ""}`),
      replacement.replace(/\\(\d)/g, "$$$1"),
    ),
  regex_search: (value: unknown, pattern: string) => new RegExp(pattern).exec(String(value))?.[0] ?? null,
  b64encode: (value: unknown) => Buffer.from(String(value), "utf8").toString("base64"),
  b64decode: (value: unknown) => Buffer.from(String(value), "base64").toString("utf8"),
  quote: (value: unknown) => shellQuote(String(value), true),
  basename: (value: unknown) => basename(String(value)),
  dirname: (value: unknown) => dirname(String(value)),
  ternary: (value: unknown, yes: unknown, no: unknown) => (value ? yes : no),
};
