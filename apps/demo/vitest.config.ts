import { packageProject } from "../../vitest.shared.js";

// The demo test spawns the demo (3 hosts, 7 fab runs): allow more than a unit test.
export default packageProject({ testTimeout: 120_000 });
