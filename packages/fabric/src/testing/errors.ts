// Fabric's errors live in src/errors/; this path stays for the modules that import it.
export { MockExpectationError, NotMocked, UnexpectedCommand, UnexpectedHost } from "../errors/index.js";
