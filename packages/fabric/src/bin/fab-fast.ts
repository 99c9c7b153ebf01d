// Entry of the bundled CLI (dist/cli/fab.js, built by scripts/bundle-cli.mjs). It runs `fab … -- cmd`
// without a tasks file itself; anything else is handed to the regular entry, so that a tasks file
// and the CLI share one copy of the library.
import { Fab } from "../program/fab.js";

class NeedsTasksFile extends Error {}

class AdHocFab extends Fab {
  protected override async parseCollection(): Promise<void> {
    if (!this.remainderOnly()) throw new NeedsTasksFile();
    await super.parseCollection();
  }

  protected override handleError(error: unknown): number {
    if (error instanceof NeedsTasksFile) throw error;
    return super.handleError(error);
  }
}

let code: number;
try {
  code = await new AdHocFab().run(process.argv.slice(2));
} catch (error) {
  if (!(error instanceof NeedsTasksFile)) throw error;
  // The regular entry runs the program from scratch and exits by itself.
  await import(new URL("../bin/fab.js", import.meta.url).href);
  await new Promise(() => {});
  code = 1;
}
process.stdout.write("", () => process.exit(code));
