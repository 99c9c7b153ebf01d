/** The slice of node-pty's terminal the server uses (declared here so node-pty stays optional for types too). */
export interface PtyProcess {
  readonly pid: number;
  onData(listener: (data: string) => void): unknown;
  onExit(listener: (event: { exitCode: number; signal?: number }) => void): unknown;
  write(data: string): void;
  resize(cols: number, rows: number): void;
  pause(): void;
  resume(): void;
}

export interface PtyModule {
  spawn(
    file: string,
    args: string[],
    options: { name: string; cols: number; rows: number; cwd: string; env: Record<string, string> },
  ): PtyProcess;
}

let loading: Promise<PtyModule | undefined> | undefined;

/**
 * node-pty is optional: when it cannot be loaded (not installed, native build missing) hosts refuse pty
 * requests instead of failing. Loaded once, before any connection, because a pty request must be answered
 * in order with the requests that follow it.
 */
export function loadPty(): Promise<PtyModule | undefined> {
  // A non-literal specifier keeps the compiler from requiring node-pty when it is not installed.
  const specifier = "node-pty";
  loading ??= import(specifier).then(
    (mod: { spawn?: unknown; default?: { spawn?: unknown } }) => {
      if (typeof mod.spawn === "function") return mod as PtyModule;
      return typeof mod.default?.spawn === "function" ? (mod.default as PtyModule) : undefined;
    },
    () => undefined,
  );
  return loading;
}
