// The docs describe what the package does now: no "not implemented" notes for features that exist.
import { readFile } from "node:fs/promises";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";

const docs = join(dirname(fileURLToPath(import.meta.url)), "..", "..", "docs");

describe("fabric docs", () => {
  it("connection.md lists no directory put/get or sudo put as missing (transfers.md documents them)", async () => {
    const text = await readFile(join(docs, "connection.md"), "utf8");
    const missing = text.slice(text.indexOf("## Not implemented yet"));
    expect(missing).not.toMatch(/Recursive|directory `put`\/`get`|sudo transfers/i);
    const transfers = await readFile(join(docs, "transfers.md"), "utf8");
    expect(transfers).toMatch(/^## Directories$/m);
    expect(transfers).toMatch(/^## sudo put$/m);
  });
});
