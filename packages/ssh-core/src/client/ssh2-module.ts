// ssh2, required on first use rather than imported: loading it (its protocol, crypto binding and
// server parts) is a large part of start-up, which code that never connects (`fab --list`, config
// and ssh_config tools) should not pay. ssh2 is CommonJS, so a synchronous require serves
// constructors too.
import { createRequire } from "node:module";
import { applyToLoadedSsh2 } from "../ssh2-internals.js";

type Ssh2Module = typeof import("ssh2");

let loaded: Ssh2Module | undefined;

/** The ssh2 module, loaded by the first call. */
export function ssh2(): Ssh2Module {
  if (!loaded) {
    loaded = createRequire(import.meta.url)("ssh2") as Ssh2Module;
    applyToLoadedSsh2();
  }
  return loaded;
}
