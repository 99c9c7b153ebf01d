import { Fab } from "../program/fab.js";

/** Thrown when argv names tasks: the regular entry runs those (see fab-fast.ts). */
export class NeedsTasksFile extends Error {}

/** `fab … -- cmd` without a tasks file; anything else throws {@link NeedsTasksFile}. */
export class AdHocFab extends Fab {
  protected override async parseCollection(): Promise<void> {
    if (!this.remainderOnly()) throw new NeedsTasksFile();
    await super.parseCollection();
  }

  protected override handleError(error: unknown): number {
    if (error instanceof NeedsTasksFile) throw error;
    return super.handleError(error);
  }
}
