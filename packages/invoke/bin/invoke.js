#!/usr/bin/env node
import module from "node:module";

// Node 22.1+ keeps compiled code on disk between runs (documented API; no-op where absent).
module.enableCompileCache?.();
await import("../dist/bundle/bin/inv.js");
