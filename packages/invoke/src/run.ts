import { Context } from "./context.js";
import type { DisownedResult, Result } from "./result.js";
import type { RunHandle } from "./runners/handle.js";
import type { RunOptions } from "./runners/options.js";
import type { AsyncRunOptions, DisownRunOptions, SyncRunOptions } from "./runners/runner.js";
import type { SudoOptions } from "./sudo.js";

/**
 * Run a command with a fresh {@link Context} and default config (Invoke's module-level `run`).
 * @example const { stdout } = await run("git rev-parse HEAD", { hide: true });
 */
export function run(command: string, options: AsyncRunOptions): Promise<RunHandle>;
export function run(command: string, options: DisownRunOptions): Promise<DisownedResult>;
export function run(command: string, options?: SyncRunOptions): Promise<Result>;
export function run(command: string, options?: RunOptions): Promise<Result | RunHandle>;
export function run(command: string, options: RunOptions = {}): Promise<Result | RunHandle> {
  return new Context().run(command, options);
}

/** Run a command under sudo with a fresh {@link Context} (Invoke's module-level `sudo`). */
export function sudo(command: string, options: SudoOptions & AsyncRunOptions): Promise<RunHandle>;
export function sudo(command: string, options: SudoOptions & DisownRunOptions): Promise<DisownedResult>;
export function sudo(command: string, options?: SudoOptions & SyncRunOptions): Promise<Result>;
export function sudo(command: string, options?: SudoOptions): Promise<Result | RunHandle>;
export function sudo(command: string, options: SudoOptions = {}): Promise<Result | RunHandle> {
  return new Context().sudo(command, options);
}
