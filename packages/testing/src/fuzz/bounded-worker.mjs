// Worker side of BoundedRunner: imports the handler module named in workerData (a .ts file),
// then answers each { id, input } message with { id, output } from its exported `handle`.
import { register } from "node:module";
import { parentPort, workerData } from "node:worker_threads";

register("./ts-hooks.mjs", import.meta.url);
const { handle } = await import(workerData.handler);
parentPort.on("message", async ({ id, input }) => {
  parentPort.postMessage({ id, output: await handle(input) });
});
parentPort.postMessage({ ready: true });
