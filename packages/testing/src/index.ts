export * from "./sshd/index.js";
