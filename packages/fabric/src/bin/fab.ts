import { Fab } from "../program/fab.js";
import { exitCodeAfter, installCliSignals } from "./cli-signals.js";

installCliSignals();
const code = exitCodeAfter(await new Fab().run(process.argv.slice(2)));
// Exit explicitly so a connection or handle a task left open cannot keep the CLI alive.
process.stdout.write("", () => process.exit(code));
