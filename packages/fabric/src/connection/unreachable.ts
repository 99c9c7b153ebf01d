// The classification of ssh-core failures lives in src/errors/; this path stays for its importers.
export { isUnreachableError, UNREACHABLE_CODES } from "../errors/index.js";
