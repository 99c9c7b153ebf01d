import type { RunOptions, SudoOptions } from "@fabric-ts/invoke";
import { MockExpectationError } from "../errors/index.js";

/** How a mocked command was issued. */
export type MockMethod = "run" | "sudo" | "local";

/** One command a mocked host received. */
export interface MockCommandCall {
  /** The host as the Connection was given it (an ssh_config alias stays an alias). */
  readonly host: string;
  readonly method: MockMethod;
  /** The command as the task wrote it, without `cd`/`prefix` wrapping. */
  readonly command: string;
  /** The Connection's effective `cd()` directory, `""` when none. */
  readonly cwd: string;
  /** The Connection's `prefix()` commands, outermost first. */
  readonly prefixes: readonly string[];
  readonly options: RunOptions | SudoOptions;
}

/**
 * What one expected command must look like: the exact command, a RegExp it must match (anywhere;
 * anchor it yourself), or an object that also pins the method and the `cd()` directory.
 */
export type CommandExpectation =
  | string
  | RegExp
  | { readonly command: string | RegExp; readonly method?: MockMethod; readonly cwd?: string };

/**
 * Assert that `calls` are exactly `expected`, in order.
 * @throws {MockExpectationError} listing every command with ✓/✗, the missing and the unexpected ones.
 */
export function expectCommands(
  calls: readonly MockCommandCall[],
  expected: readonly CommandExpectation[],
  label = "mocked hosts",
): void {
  const lines: string[] = [];
  let ok = calls.length === expected.length;
  const count = Math.max(calls.length, expected.length);
  for (let i = 0; i < count; i++) {
    const call = calls[i];
    const want = expected[i];
    if (want === undefined && call) {
      lines.push(`  ${i + 1}. ✗ unexpected: ${describeCall(call)}`);
    } else if (want !== undefined && !call) {
      lines.push(`  ${i + 1}. ✗ missing: ${describeExpectation(want)}`);
    } else if (want !== undefined && call) {
      if (matches(call, want)) {
        lines.push(`  ${i + 1}. ✓ ${describeCall(call)}`);
      } else {
        ok = false;
        lines.push(`  ${i + 1}. ✗ expected ${describeExpectation(want)}, got ${describeCall(call)}`);
      }
    }
  }
  if (!ok) {
    throw new MockExpectationError(
      `Commands on ${label} did not match (${calls.length} run, ${expected.length} expected):\n${lines.join("\n")}`,
    );
  }
}

/** Whether one recorded call satisfies one expectation. */
export function matches(call: MockCommandCall, want: CommandExpectation): boolean {
  if (typeof want === "string" || want instanceof RegExp) return matchCommand(call.command, want);
  if (want.method !== undefined && want.method !== call.method) return false;
  if (want.cwd !== undefined && want.cwd !== call.cwd) return false;
  return matchCommand(call.command, want.command);
}

function matchCommand(command: string, want: string | RegExp): boolean {
  return typeof want === "string"
    ? command === want
    : new RegExp(want.source, want.flags.replace("g", "")).test(command);
}

function describeCall(call: MockCommandCall): string {
  const where = call.cwd === "" ? "" : ` (in ${call.cwd})`;
  return `${call.method === "run" ? "" : `${call.method}: `}${JSON.stringify(call.command)}${where}`;
}

function describeExpectation(want: CommandExpectation): string {
  if (typeof want === "string") return JSON.stringify(want);
  if (want instanceof RegExp) return String(want);
  const command = typeof want.command === "string" ? JSON.stringify(want.command) : String(want.command);
  const method = want.method && want.method !== "run" ? `${want.method}: ` : "";
  return `${method}${command}${want.cwd !== undefined ? ` (in ${want.cwd})` : ""}`;
}
