import { Program } from "../program/program.js";

const program = new Program({ binary: "inv[oke]", binaryNames: ["inv", "invoke"] });
const code = await program.run(process.argv.slice(2));
// Exit explicitly (like Invoke's sys.exit) so a handle a task left open cannot keep the CLI alive.
process.stdout.write("", () => process.exit(code));
