import { defineConfig } from "vitest/config";

// One vitest run over every package, so the whole suite reports a single total.
export default defineConfig({
  test: {
    projects: ["packages/*", "apps/*"],
  },
});
