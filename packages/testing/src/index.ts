export * from "./corpus.js";
export * from "./embedded/index.js";
export * from "./sshd/index.js";
