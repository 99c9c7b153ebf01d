import { realpathSync } from "node:fs";
import { fileURLToPath } from "node:url";

/**
 * Run `main` with the command-line arguments when this module is the program being run
 * (`npx jiti examples/x.ts web1`), not when a test imports it. Errors print and set exit code 1.
 */
export async function runIfMain(moduleUrl: string, main: (...args: string[]) => unknown): Promise<void> {
  const entry = process.argv[1];
  if (entry === undefined || realpath(entry) !== realpath(fileURLToPath(moduleUrl))) return;
  try {
    const value = await main(...process.argv.slice(2));
    if (value !== undefined) console.log(value);
  } catch (error) {
    console.error(error instanceof Error ? `${error.name}: ${error.message}` : error);
    process.exitCode = 1;
  }
}

function realpath(path: string): string {
  try {
    return realpathSync(path);
  } catch {
    return path;
  }
}
