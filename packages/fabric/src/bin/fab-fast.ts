// Entry of the bundled CLI (dist/cli/fab.cjs, built by scripts/bundle-cli.mjs), loaded by bin/fab.js.
// It runs `fab … -- cmd` without a tasks file itself; anything else goes to the regular entry, so
// that a tasks file and the CLI share one copy of the library.
import { exitCodeAfter, installCliSignals } from "./cli-signals.js";
import { dialEarly } from "./early-dial.js";

/**
 * Run an ad-hoc command (`fab … -- cmd`) and exit with its code. Resolves false instead when argv
 * names tasks: the caller then runs the regular entry.
 */
export async function runAdHoc(argv: string[]): Promise<boolean> {
  // Before connecting: the regular entry installs its own when this one hands over.
  const uninstallSignals = installCliSignals();
  // Dial before loading the rest (the program, ssh2): see early-dial.ts. Node starts the connect on
  // a later tick, and loading the rest is synchronous: let the event loop turn once first.
  const earlyDial = dialEarly(argv);
  if (earlyDial) await new Promise((resolve) => setImmediate(resolve));
  const { AdHocFab, NeedsTasksFile } = await import("./ad-hoc-fab.js");
  let code: number;
  try {
    code = await new AdHocFab().run(argv);
  } catch (error) {
    earlyDial?.discard();
    if (error instanceof NeedsTasksFile) {
      uninstallSignals();
      return false;
    }
    throw error;
  }
  earlyDial?.discard();
  code = exitCodeAfter(code);
  process.stdout.write("", () => process.exit(code));
  return true;
}
