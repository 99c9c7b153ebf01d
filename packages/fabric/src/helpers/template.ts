// Fabric 1's `upload_template` / Ansible's `template`: render with a Jinja-compatible engine
// (nunjucks, loaded on first use), compare with the live file by SHA-256, and only when different
// stage it beside the target, run `validate` on the staged copy, then rename it into place.
import { createHash } from "node:crypto";
import { readFile } from "node:fs/promises";
import { dirname, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { shellQuote } from "@fabric-ts/invoke";
import type { Connection } from "../connection/connection.js";
import { RemoteFileError, ValidationFailed } from "../errors/index.js";
import { remoteTempBeside, renameOver } from "../transfer/atomic.js";
import { type AttributeOptions, attributeLines, checkMode } from "./attributes.js";
import { recordChange } from "./helper-session.js";
import {
  readRemoteFile,
  runHidden,
  type SudoOptions,
  stderrOf,
  writeBackup,
  writeRemoteText,
} from "./remote-file.js";
import { jinjaEnvironment, type RenderOptions } from "./template-engine.js";

export type { RenderOptions } from "./template-engine.js";

/** A template: a local file (path or `file:` URL, includes resolve beside it) or `{ text }`. */
export type TemplateSource = string | URL | { text: string };

/** Values the template sees (Jinja's context). */
export type TemplateContext = Readonly<Record<string, unknown>>;

export interface UploadTemplateOptions extends SudoOptions, AttributeOptions, RenderOptions {
  /**
   * Keep the replaced file: `true` for `<file>.<pid>.<date>@<time>~`, a string for `<file><suffix>`.
   * @default false
   */
  backup?: boolean | string;
  /**
   * A command that checks the new file before it goes live; `%s` is replaced by the (quoted) path of
   * the staged copy, e.g. `"nginx -t -c %s"` or `"visudo -cf %s"`. Runs under sudo with `sudo`.
   * A non-zero exit leaves the live file as it was and throws {@link ValidationFailed}.
   */
  validate?: string;
}

export interface UploadTemplateResult {
  /** Whether the file's content (or mode/owner) changed. */
  changed: boolean;
  /** Where the file was written (symbolic links followed). */
  path: string;
  /** SHA-256 (hex) of the rendered content. */
  sha256: string;
  /** The backup's path, when one was made. */
  backup?: string;
}

/** Render a template with the Jinja-compatible engine (see {@link RenderOptions} for the defaults). */
export async function renderTemplate(
  template: TemplateSource,
  context: TemplateContext = {},
  options: RenderOptions = {},
): Promise<string> {
  if (typeof template === "object" && !(template instanceof URL)) {
    if (typeof template?.text !== "string")
      throw new TypeError("a template is a path, a file: URL or { text }");
    const env = await jinjaEnvironment(options.templateDirs ?? [], options);
    return env.renderString(template.text, { ...context });
  }
  const file = template instanceof URL ? fileURLToPath(template) : resolve(template);
  await readFile(file).catch((error: unknown) => {
    throw new TypeError(`cannot read the template ${file}: ${(error as Error).message}`);
  });
  const env = await jinjaEnvironment([dirname(file), ...(options.templateDirs ?? [])], options);
  return env.render(file, { ...context });
}

/**
 * Render `template` with `context` and make `remote` hold the result: nothing is written when the
 * content is already there (SHA-256), otherwise it is staged beside the target, checked with
 * `validate`, backed up if asked, and renamed into place (atomic). Mode and owner are kept from the
 * old file unless given.
 * @example
 * const { changed } = await uploadTemplate(c, "templates/site.conf.j2", "/etc/nginx/sites-available/api.conf",
 *   { server_name: "api.example.com" }, { sudo: true, validate: "nginx -t -c %s" });
 * if (changed) await c.sudo("systemctl reload nginx");
 */
export async function uploadTemplate(
  c: Connection,
  template: TemplateSource,
  remote: string,
  context: TemplateContext = {},
  options: UploadTemplateOptions = {},
): Promise<UploadTemplateResult> {
  checkMode(options.mode);
  if (options.validate !== undefined && !options.validate.includes("%s")) {
    throw new TypeError(`validate must name the file to check with %s: ${options.validate}`);
  }
  if (!options.sudo && (options.owner !== undefined || options.group !== undefined)) {
    throw new TypeError("owner and group need sudo: pass { sudo: true, owner, group }");
  }
  const rendered = await renderTemplate(template, context, options);
  const sha256 = createHash("sha256").update(rendered, "utf8").digest("hex");
  const { info, text } = await readRemoteFile(c, remote, options.sudo);
  if (info.kind === "directory" || info.kind === "other") {
    throw new RemoteFileError(`${info.path} is not a regular file (${info.kind})`);
  }
  const sudo = options.sudo ? { sudo: options.sudo } : {};
  const attributes = {
    ...(options.mode !== undefined ? { mode: options.mode } : {}),
    ...(options.owner !== undefined ? { owner: options.owner } : {}),
    ...(options.group !== undefined ? { group: options.group } : {}),
  };

  if (text !== null && createHash("sha256").update(text, "utf8").digest("hex") === sha256) {
    const changed = await fixAttributes(c, info.path, attributes, options);
    return { changed: recordChange(changed), path: info.path, sha256 };
  }

  const staged = remoteTempBeside(info.path);
  await writeRemoteText(c, { ...info, path: staged }, rendered, { ...sudo, ...attributes });
  try {
    if (options.validate !== undefined) await validateStaged(c, staged, info.path, options.validate, options);
    const backup =
      options.backup && text !== null
        ? await writeBackup(c, info, text, options.backup, options.sudo)
        : undefined;
    await moveIntoPlace(c, staged, info.path, options);
    return { changed: recordChange(true), path: info.path, sha256, ...(backup ? { backup } : {}) };
  } catch (error) {
    await runHidden(c, `rm -f -- ${shellQuote(staged)}`, options.sudo).catch(() => undefined);
    throw error;
  }
}

async function validateStaged(
  c: Connection,
  staged: string,
  target: string,
  validate: string,
  options: SudoOptions,
): Promise<void> {
  const command = validate.replaceAll("%s", shellQuote(staged));
  const result = await runHidden(c, command, options.sudo);
  if (result.exited === 0) return;
  const output = [result.stdout.trim(), stderrOf(c, result)].filter(Boolean).join("\n");
  throw new ValidationFailed(
    `validation of ${target} failed (\`${command}\` exited ${result.exited}); the live file was left untouched${output ? `:\n${output}` : ""}`,
    result.exited ?? -1,
    output,
  );
}

async function moveIntoPlace(
  c: Connection,
  staged: string,
  target: string,
  options: SudoOptions,
): Promise<void> {
  if (!options.sudo) {
    const sftp = await c.sftp();
    await renameOver(sftp, staged, target);
    return;
  }
  const result = await runHidden(c, `mv -f -- ${shellQuote(staged)} ${shellQuote(target)}`, options.sudo);
  if (result.exited !== 0) {
    throw new RemoteFileError(
      `cannot move the new file into ${target} (exit ${result.exited}): ${stderrOf(c, result)}`,
    );
  }
}

/** Same content: only mode and owner may need fixing. */
async function fixAttributes(
  c: Connection,
  path: string,
  attributes: AttributeOptions,
  options: SudoOptions,
): Promise<boolean> {
  const lines = attributeLines(shellQuote(path), attributes);
  if (lines.length === 0) return false;
  const result = await runHidden(
    c,
    ["c=", ...lines, `if [ -n "$c" ]; then echo changed; else echo ok; fi`].join("\n"),
    options.sudo,
  );
  const verdict = result.stdout.trim().split("\n").pop();
  if (result.exited !== 0 || (verdict !== "changed" && verdict !== "ok")) {
    throw new RemoteFileError(
      `cannot set mode/owner of ${path} (exit ${result.exited}): ${stderrOf(c, result)}`,
    );
  }
  return verdict === "changed";
}
