import { isInvokeError } from "../errors.js";

/** How the CLI reports an error: the text for stderr and the exit code (Invoke's rules). */
export function describeError(error: unknown, debug: boolean): { message: string; exitCode: number } {
  if (!(error instanceof Error) && !isErrorLike(error)) {
    return { message: `Error: ${String(error)}`, exitCode: 1 };
  }
  const err = error as Error & { exitCode?: unknown; result?: { exited?: unknown; hide?: unknown } };
  const cause = err.cause instanceof Error && err.cause.stack ? `\nCaused by: ${err.cause.stack}` : "";
  const stack = debug && err.stack ? `\n${err.stack}${cause}` : "";
  // Matched by kind tag, not instanceof: a tasks file may have loaded its own copy of the package.
  if (isInvokeError(err, "Exit")) {
    return { message: err.message + stack, exitCode: typeof err.exitCode === "number" ? err.exitCode : 1 };
  }
  if (isInvokeError(err, "ParseError")) return { message: err.message + stack, exitCode: 1 };
  if (isInvokeError(err, "UnexpectedExit")) {
    // Read defensively: the error may come from another (older or newer) copy of the package.
    const hidden = Array.isArray(err.result?.hide) && err.result.hide.length > 0;
    const exited = typeof err.result?.exited === "number" ? err.result.exited : 1;
    // Killed by signal n (exited -n): 128 + n, as shells report it.
    const exitCode = exited === 0 ? 1 : exited < 0 && exited > -128 ? 128 - exited : exited;
    // Streams that were shown already told the story; only hidden ones need the report.
    return { message: (hidden ? err.message : "") + stack, exitCode };
  }
  if (err.result !== undefined || isInvokeError(err, "Failure") || isInvokeError(err, "ThreadException")) {
    return { message: err.message + stack, exitCode: 1 };
  }
  const hint = debug ? "" : "\n(run with --debug for a stack trace)";
  return { message: `${err.name}: ${err.message}${hint}${stack}`, exitCode: 1 };
}

function isErrorLike(value: unknown): boolean {
  return typeof value === "object" && value !== null && "name" in value && "message" in value;
}
