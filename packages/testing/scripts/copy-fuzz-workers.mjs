// tsc compiles src/fuzz/bounded-runner.ts; the worker and its module hooks are plain .mjs files it does not
// copy. They sit beside the compiled runner, which loads them by relative URL.
import { copyFileSync } from "node:fs";
import { join } from "node:path";

const here = import.meta.dirname;
for (const file of ["bounded-worker.mjs", "ts-hooks.mjs"]) {
  copyFileSync(join(here, "..", "src", "fuzz", file), join(here, "..", "dist", "fuzz", file));
}
