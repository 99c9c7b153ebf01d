// The workspace package.json files keep a `source` export condition (tests, typecheck and the
// in-repo tools resolve src/ through it); what is packed must not: `publishConfig.exports`, which
// `pnpm pack` puts in its place, has to be the same map without it. Also the fields and files every
// published package needs. Fast: no packing, no install (consumer.test.ts does those).
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";

const root = join(import.meta.dirname, "..", "..", "..", "..");
const PUBLISHED = ["invoke", "ssh-core", "fabric", "testing"];

type Exports = Record<string, string | Record<string, string>>;

function withoutSource(exports: Exports): Exports {
  return Object.fromEntries(
    Object.entries(exports).map(([subpath, target]) => [
      subpath,
      typeof target === "string"
        ? target
        : Object.fromEntries(Object.entries(target).filter(([c]) => c !== "source")),
    ]),
  );
}

describe.each(PUBLISHED)("packages/%s/package.json", (name) => {
  const dir = join(root, "packages", name);
  const pkg = JSON.parse(readFileSync(join(dir, "package.json"), "utf8"));

  it("publishConfig.exports is exports without the source condition", () => {
    expect(pkg.publishConfig?.exports).toEqual(withoutSource(pkg.exports));
  });

  it("ships LICENSE (the repository's), README, CHANGELOG and docs", () => {
    expect(readFileSync(join(dir, "LICENSE"), "utf8")).toBe(readFileSync(join(root, "LICENSE"), "utf8"));
    for (const file of ["README.md", "CHANGELOG.md", "LICENSE", "docs"]) {
      expect(pkg.files, file).toContain(file);
      expect(existsSync(join(dir, file)), file).toBe(true);
    }
    expect(pkg.license).toBe("MIT");
    expect(pkg.repository?.directory).toBe(`packages/${name}`);
    expect(pkg.homepage).toMatch(/^https:\/\//);
    expect(pkg.bugs?.url).toMatch(/^https:\/\//);
  });
});

describe.each(["ssh-core", "testing"])("packages/%s depends on ssh2", (name) => {
  it("pinned exactly, with its types beside it (consumers type-check without TS7016)", () => {
    const pkg = JSON.parse(readFileSync(join(root, "packages", name, "package.json"), "utf8"));
    expect(pkg.dependencies.ssh2).toMatch(/^\d+\.\d+\.\d+$/);
    expect(pkg.dependencies["@types/ssh2"]).toMatch(/^\d+\.\d+\.\d+$/);
  });
});

it("the workspace applies no patches to dependencies", () => {
  const workspace = readFileSync(join(root, "pnpm-workspace.yaml"), "utf8");
  const rootPkg = JSON.parse(readFileSync(join(root, "package.json"), "utf8"));
  expect(workspace).not.toMatch(/patchedDependencies/);
  expect(rootPkg.pnpm?.patchedDependencies).toBeUndefined();
  expect(existsSync(join(root, "patches"))).toBe(false);
});
