// Fabric's errors live in src/errors/; this path stays for the modules and tests that import it.
export { HostSkipped } from "../errors/index.js";
