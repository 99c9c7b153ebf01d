// Every test file of the repository is in a package's test/unit/ or test/integration/, the only folders
// the vitest projects look in: a file elsewhere would never run. (scripts/run-tests.mjs and
// `pnpm test:unit` run the same check before vitest starts.)
import { join } from "node:path";
import { expect, it } from "vitest";
// @ts-expect-error: a plain .mjs script without declarations
import { strayTestFiles } from "../../../../scripts/check-test-layout.mjs";

it("no test file sits outside test/unit and test/integration", () => {
  expect(strayTestFiles(join(import.meta.dirname, "..", "..", "..", ".."))).toEqual([]);
});
