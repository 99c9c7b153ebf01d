// Entry of the bundled CLI (dist/cli/fab.js, built by scripts/bundle-cli.mjs). It runs `fab … -- cmd`
// without a tasks file itself; anything else is handed to the regular entry, so that a tasks file
// and the CLI share one copy of the library.
//
// No top-level await: lazily loaded chunks may import shared code from this one, which must then
// have finished evaluating.
import { dialEarly } from "./early-dial.js";

async function main(argv: string[]): Promise<void> {
  // Dial before loading the rest (the program, ssh2): see early-dial.ts.
  const earlyDial = dialEarly(argv);
  const { AdHocFab, NeedsTasksFile } = await import("./ad-hoc-fab.js");
  let code: number;
  try {
    code = await new AdHocFab().run(argv);
  } catch (error) {
    if (!(error instanceof NeedsTasksFile)) throw error;
    earlyDial?.discard();
    // The regular entry runs the program from scratch and exits by itself.
    await import(new URL("../bin/fab.js", import.meta.url).href);
    return;
  }
  earlyDial?.discard();
  process.stdout.write("", () => process.exit(code));
}

void main(process.argv.slice(2));
