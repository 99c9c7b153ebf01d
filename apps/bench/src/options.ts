export interface BenchOptions {
  quick: boolean;
  rounds: number | undefined;
  /** Scenario ids to run (a, g-list, g-task, b, c50, c500, d-put, d-get, e-put, e-get, f, a-warm, h); all when undefined. */
  only: string[] | undefined;
  writeResults: boolean;
  /** Install missing peers with apt when root, and Node 24 with npm (default true). */
  install: boolean;
  /** Run the fabric-ts rows from the workspace build instead of the packed, npm-installed packages. */
  workspace: boolean;
  /** A Node 24 binary for the start-up scenarios' second fabric-ts row. */
  node24: string | undefined;
}

export const USAGE = `usage: pnpm bench [--quick] [--rounds N] [--only a,g-list,g-task,b,c50,c500,d-put,d-get,e-put,e-get,f,a-warm,h] [--write-results] [--no-install] [--workspace] [--node24 PATH]`;

export function parseOptions(argv: readonly string[]): BenchOptions {
  const options: BenchOptions = {
    quick: false,
    rounds: undefined,
    only: undefined,
    writeResults: false,
    install: true,
    workspace: false,
    node24: undefined,
  };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    const value = () => {
      const next = argv[++i];
      if (next === undefined) throw new Error(`${arg} needs a value\n${USAGE}`);
      return next;
    };
    switch (arg) {
      case "--":
        break;
      case "--quick":
        options.quick = true;
        break;
      case "--rounds": {
        const rounds = Number(value());
        if (!Number.isInteger(rounds) || rounds < 1)
          throw new Error(`--rounds must be a positive integer\n${USAGE}`);
        options.rounds = rounds;
        break;
      }
      case "--only":
        options.only = value()
          .split(",")
          .map((id) => id.trim())
          .filter(Boolean);
        break;
      case "--write-results":
        options.writeResults = true;
        break;
      case "--node24":
        options.node24 = value();
        break;
      case "--no-install":
        options.install = false;
        break;
      case "--workspace":
        options.workspace = true;
        break;
      default:
        throw new Error(`unknown option ${arg}\n${USAGE}`);
    }
  }
  return options;
}
