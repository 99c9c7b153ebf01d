import { packageProject } from "../../vitest.shared.js";

// npm installs (one per layer, each building ssh2's native part) and a real sshd: minutes, not seconds.
export default packageProject({ testTimeout: 300_000, hookTimeout: 900_000 });
