import { randomBytes } from "node:crypto";
import type { Config } from "./config/config.js";
import {
  AuthFailure,
  Failure,
  ResponseNotAccepted,
  ResponseUnavailable,
  SudoPasswordRequired,
} from "./errors.js";
import { escapeRegExp, shellQuote } from "./quote.js";
import type { Result } from "./result.js";
import { RunHandle } from "./runners/handle.js";
import type { RunOptions } from "./runners/options.js";
import { FailingResponder, Responder, type StreamName, StreamWatcher } from "./watchers.js";

/** Options of `sudo()`: every `run()` option plus who to run as and the password to answer with. */
export interface SudoOptions extends RunOptions {
  /** Run as this user (`sudo -H -u user`); `undefined` = config `sudo.user`, `null` = sudo's default (root). */
  readonly user?: string | null;
  /** Answer sudo's prompt with this; `undefined` = config `sudo.password`. Never echoed or put in errors. */
  readonly password?: string | null;
  /**
   * The shell sudo runs the (cd/prefixed) command with. @default config `sudo.shell`, else config `run.shell`
   * (not the `shell` option, which is the shell that runs sudo itself).
   */
  readonly sudoShell?: string;
}

/** sudo's failure message; predictable because sudo runs with `LC_ALL=C`. */
const SUDO_SENTINEL = /Sorry, try again\./;

export interface SudoCommandParts {
  /** The full command to run as the target user (cd/prefix already applied). */
  readonly command: string;
  /** The prompt sudo prints (`-p`). */
  readonly prompt: string;
  readonly user: string | null;
  /** Names of env vars sudo must keep (`--preserve-env`). */
  readonly envKeys: readonly string[];
  readonly shell: string;
  /** The caller's LC_ALL, restored for the command (sudo itself runs with `LC_ALL=C`). */
  readonly locale: string | undefined;
}

/**
 * Build the sudo command line. Unlike Invoke, the whole command (cd, prefixes, pipes, redirections)
 * runs under sudo in one shell, the prompt is quoted (and `%` escaped, sudo expands `%u` etc.), and sudo
 * runs with `LC_ALL=C` so its messages can be recognised.
 * @example
 * buildSudoCommand({ command: "cd /srv && ls", prompt: "[sudo] password: ", user: null, envKeys: [], shell: "/bin/bash", locale: undefined })
 * // LC_ALL=C sudo -S -p '[sudo] password: ' /bin/bash -c 'unset LC_ALL && cd /srv && ls'
 */
export function buildSudoCommand(parts: SudoCommandParts): string {
  const words = ["LC_ALL=C", "sudo", "-S", "-p", shellQuote(parts.prompt.replaceAll("%", "%%"), true)];
  if (parts.envKeys.length > 0) words.push(`--preserve-env=${shellQuote(parts.envKeys.join(","), true)}`);
  if (parts.user !== null) words.push("-H", "-u", shellQuote(parts.user));
  const locale = parts.locale === undefined ? "unset LC_ALL" : `export LC_ALL=${shellQuote(parts.locale)}`;
  words.push(shellQuote(parts.shell), "-c", shellQuote(`${locale} && ${parts.command}`, true));
  return words.join(" ");
}

/** A prompt no command output will contain by accident: the configured one plus a random token. */
export function uniqueSudoPrompt(prompt: string, token: string = randomBytes(6).toString("hex")): string {
  return `${prompt.replace(/:?\s*$/, "")} (${token}): `;
}

/** Raises {@link ResponseUnavailable} when the prompt shows up: there is no password to give. */
class UnanswerablePrompt extends StreamWatcher {
  private readonly responder: Responder;

  constructor(pattern: string) {
    super();
    this.responder = new Responder(pattern, "");
  }

  feed(chunk: string, streamName: StreamName): string[] {
    if (this.responder.feed(chunk, streamName).length > 0) {
      throw new ResponseUnavailable("sudo asked for a password, but none was configured");
    }
    return [];
  }
}

/** What `runSudo` needs from a context. */
export interface SudoHost {
  readonly config: Config;
  /** The command with the context's cd/prefix applied. */
  readonly prefixed: string;
  run(command: string, options: RunOptions): Promise<Result | RunHandle>;
}

/** Run a command under sudo, answering its prompt (Invoke's `Context.sudo`, with its quirks fixed). */
export async function runSudo(host: SudoHost, options: SudoOptions): Promise<Result | RunHandle> {
  const { user: userOption, password: passwordOption, sudoShell, ...runOptions } = options;
  const { config } = host;
  const configuredPrompt = config.sudo.prompt;
  const password = passwordOption !== undefined ? passwordOption : config.sudo.password;
  const user = userOption !== undefined ? userOption : config.sudo.user;
  const env = runOptions.env ?? {};
  const prompt = uniqueSudoPrompt(configuredPrompt);
  const command = buildSudoCommand({
    command: host.prefixed,
    prompt,
    user,
    envKeys: Object.keys(env),
    shell: sudoShell ?? config.get<string | null>("sudo.shell", null) ?? config.run.shell,
    locale: env.LC_ALL,
  });

  const pattern = escapeRegExp(prompt);
  const responder =
    password === null || password === undefined
      ? new UnanswerablePrompt(pattern)
      : new FailingResponder(pattern, `${password}\n`, SUDO_SENTINEL);
  const watchers = [...(runOptions.watchers ?? config.run.watchers), responder];
  // With stdin at EOF (CI, cron), copying it would close sudo's stdin before the password is written.
  const inStream =
    runOptions.inStream !== undefined
      ? runOptions.inStream
      : (config.run.inStream ?? (process.stdin.isTTY ? null : false));

  const translate = (error: unknown): never => {
    if (error instanceof Failure && error.reason instanceof ResponseNotAccepted) {
      throw new AuthFailure(error.result, configuredPrompt, error.reason);
    }
    if (error instanceof Failure && error.reason instanceof ResponseUnavailable) {
      throw new SudoPasswordRequired(error.result, configuredPrompt, error.reason);
    }
    throw error;
  };
  try {
    const outcome = await host.run(command, { ...runOptions, watchers, inStream });
    if (outcome instanceof RunHandle) {
      return outcome.withResult((result) => result.catch(translate));
    }
    return outcome;
  } catch (error) {
    return translate(error);
  }
}
