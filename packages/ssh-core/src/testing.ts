// Helpers for SSH servers written on ssh2 in tests (used by @fabric-ts/testing's embedded hosts).
export { sendExitAfterEof } from "./ssh2-internals.js";
