import { Fab } from "../program/fab.js";

const code = await new Fab().run(process.argv.slice(2));
// Exit explicitly so a connection or handle a task left open cannot keep the CLI alive.
process.stdout.write("", () => process.exit(code));
