export * from "./embedded/index.js";
export * from "./sshd/index.js";
