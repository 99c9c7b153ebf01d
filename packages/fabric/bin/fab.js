#!/usr/bin/env node
import module from "node:module";

// Node 22.1+ keeps the code it compiles on disk between runs (a documented API; absent on Node 20).
module.enableCompileCache?.();
await import("../dist/bundle/bin/fab.js");
