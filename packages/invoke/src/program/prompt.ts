import { createInterface } from "node:readline";
import { Writable } from "node:stream";
import { writeDirect } from "../direct-output.js";

/** Ask for a secret on stderr without echoing it; reads a plain line when stdin is not a terminal. */
export async function promptSecret(prompt: string): Promise<string> {
  const muted = new Writable({ write: (_chunk, _encoding, done) => done() });
  const rl = createInterface({ input: process.stdin, output: muted, terminal: !!process.stdin.isTTY });
  // Only now is the terminal in raw mode (no echo): an answer typed as soon as the prompt shows stays hidden.
  writeDirect(() => process.stderr.write(prompt));
  try {
    return await new Promise<string>((resolve, reject) => {
      rl.once("line", resolve);
      rl.once("close", () => reject(new Error(`No input for the prompt: ${prompt.trim()}`)));
    });
  } finally {
    rl.close();
    writeDirect(() => process.stderr.write("\n"));
  }
}
