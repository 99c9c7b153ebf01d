import { fileURLToPath } from "node:url";
import { defineConfig } from "vitest/config";
import { testProjects } from "./vitest.shared.js";

// One vitest run over every package, so the whole suite reports a single total. Each package is two
// projects, `<package>:unit` and `<package>:integration` (see vitest.shared.ts).
export default defineConfig({
  test: {
    projects: testProjects(fileURLToPath(new URL(".", import.meta.url))),
  },
});
