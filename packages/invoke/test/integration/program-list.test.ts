import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { FIXTURES, inv } from "../support/cli-helpers.js";

const tree = { cwd: join(FIXTURES, "tree") };

describe("inv --list on the tree fixture (Invoke's tests/_support/tree)", () => {
  it("flat, the default format", () => {
    const r = inv(["--list"], tree);
    expect(r.code).toBe(0);
    expect(r.stdout).toBe(`Available tasks:

  shell (ipython)                       Load a REPL with project state already
                                        set up.
  test (run-tests)                      Run the test suite with baked-in args.
  build.all (build, build.everything)   Build all necessary artifacts.
  build.c-ext (build.ext)               Build our internal C extension.
  build.zap                             A silly way to clean.
  build.docs.all (build.docs)           Build all doc formats.
  build.docs.html                       Build HTML output only.
  build.docs.pdf                        Build PDF output only.
  build.python.all (build.python)       Build all Python packages.
  build.python.sdist                    Build classic style tar.gz.
  build.python.wheel                    Build a wheel.
  deploy.db (deploy.db-servers)         Deploy to our database servers.
  deploy.everywhere (deploy)            Deploy to all targets.
  deploy.web                            Update and bounce the webservers.
  provision.db                          Stand up one or more DB servers.
  provision.web                         Stand up a Web server.

Default task: test

`);
  });

  it("rooted at a namespace", () => {
    expect(inv(["--list", "build"], tree).stdout).toBe(`Available 'build' tasks:

  .all (.everything)      Build all necessary artifacts.
  .c-ext (.ext)           Build our internal C extension.
  .zap                    A silly way to clean.
  .docs.all (.docs)       Build all doc formats.
  .docs.html              Build HTML output only.
  .docs.pdf               Build PDF output only.
  .python.all (.python)   Build all Python packages.
  .python.sdist           Build classic style tar.gz.
  .python.wheel           Build a wheel.

Default 'build' task: .all

`);
  });

  it("depth 1 summarises sub-collections", () => {
    expect(inv(["--list", "-F", "flat", "-D", "1"], tree).stdout).toBe(`Available tasks (depth=1):

  shell (ipython)                  Load a REPL with project state already set
                                   up.
  test (run-tests)                 Run the test suite with baked-in args.
  build [3 tasks, 2 collections]   Tasks for compiling static code and assets.
  deploy [3 tasks]                 How to deploy our code and configs.
  provision [2 tasks]              System setup code.

Default task: test

`);
  });

  it("nested", () => {
    expect(inv(["-l", "-F", "nested"], tree).stdout).toBe(`Available tasks ('*' denotes collection defaults):

  shell (ipython)           Load a REPL with project state already set up.
  test* (run-tests)         Run the test suite with baked-in args.
  build                     Tasks for compiling static code and assets.
      .all* (.everything)   Build all necessary artifacts.
      .c-ext (.ext)         Build our internal C extension.
      .zap                  A silly way to clean.
      .docs                 Tasks for managing Sphinx docs.
          .all*             Build all doc formats.
          .html             Build HTML output only.
          .pdf              Build PDF output only.
      .python               PyPI/etc distribution artifacts.
          .all*             Build all Python packages.
          .sdist            Build classic style tar.gz.
          .wheel            Build a wheel.
  deploy                    How to deploy our code and configs.
      .db (.db-servers)     Deploy to our database servers.
      .everywhere*          Deploy to all targets.
      .web                  Update and bounce the webservers.
  provision                 System setup code.
      .db                   Stand up one or more DB servers.
      .web                  Stand up a Web server.

Default task: test

`);
  });

  it("nested, rooted, depth 1", () => {
    expect(
      inv(["-l", "build", "-F", "nested", "-D1"], tree).stdout,
    ).toBe(`Available 'build' tasks (depth=1; '*' denotes collection defaults):

  .all* (.everything)   Build all necessary artifacts.
  .c-ext (.ext)         Build our internal C extension.
  .zap                  A silly way to clean.
  .docs [3 tasks]       Tasks for managing Sphinx docs.
  .python [3 tasks]     PyPI/etc distribution artifacts.

Default 'build' task: .all

`);
  });

  it("json: one line, tasks under their bound names", () => {
    const r = inv(["--list", "--list-format=json"], tree);
    expect(r.stdout.endsWith("}\n")).toBe(true);
    expect(r.stdout.trim().split("\n")).toHaveLength(1);
    const data = JSON.parse(r.stdout);
    expect(data).toMatchObject({ name: "tasks", default: "test", help: null });
    expect(data.tasks).toEqual([
      { name: "shell", help: "Load a REPL with project state already set up.", aliases: ["ipython"] },
      { name: "test", help: "Run the test suite with baked-in args.", aliases: ["run-tests"] },
    ]);
    const build = data.collections.find((c: { name: string }) => c.name === "build");
    expect(build.default).toBe("all");
    expect(build.tasks.map((t: { name: string }) => t.name)).toEqual(["all", "c-ext", "zap"]);
    expect(build.collections.map((c: { name: string }) => c.name)).toEqual(["docs", "python"]);
  });

  it("json errors: depth is refused; unknown and empty namespaces exit 1", () => {
    expect(inv(["-l", "-F", "json", "-D", "2"], tree)).toMatchObject({
      code: 1,
      stderr: "The --list-depth option is not supported with JSON format!\n",
    });
    expect(inv(["-l", "nope"], tree)).toMatchObject({
      code: 1,
      stderr: "Sub-collection 'nope' not found!\n",
    });
  });
});

describe("inv --help", () => {
  it("per-task help: usage, description, options with placeholders for every kind", () => {
    const r = inv(["--help", "kinds"]);
    expect(r.stdout).toBe(`Usage: inv[oke] [--core-opts] kinds [--options] [other tasks here ...]

Docstring:
  Show every argument kind.

  Echoes the parsed arguments as JSON.

Options:
  --note=STRING
  -c INT, --count=INT           How many times
  -e STRING, --level=STRING     Choices: debug, info.
  -g [STRING], --log[=STRING]
  -l, --loud                    Shout it
  -n STRING, --name=STRING      Who to greet
  -o, --[no-]color              Colourise output
  -r FLOAT, --ratio=FLOAT
  -t STRING, --tag=STRING       Tags (repeatable)
  -v, --verbose                 More output

`);
    expect(inv(["kinds", "--help"]).stdout).toBe(r.stdout);
  });

  it("help for a task without options or description", () => {
    expect(inv(["-h", "boom"]).stdout).toBe(`Usage: inv[oke] [--core-opts] boom [other tasks here ...]

Docstring:
  none

Options:
  none

`);
  });

  it("help for an unknown task", () => {
    expect(inv(["-h", "this"])).toMatchObject({ code: 1, stderr: "No idea what 'this' is!\n" });
  });

  it("core help", () => {
    const r = inv(["--help"]);
    expect(r.code).toBe(0);
    expect(r.stdout).toBe(`Usage: inv[oke] [--core-opts] task1 [--task1-opts] ... taskN [--taskN-opts]

Core options:

  --complete                          Print tab-completion candidates for given
                                      parse remainder.
  --hide=STRING                       Set default value of run()'s 'hide'
                                      option.
  --no-dedupe                         Disable task deduplication.
  --print-completion-script=STRING    Print the tab-completion script for your
                                      preferred shell (bash|zsh|fish).
  --prompt-for-sudo-password          Prompt user at start of session for the
                                      sudo.password config value.
  --set=STRING                        Set a config value for this run:
                                      key.path=value (typed; repeatable).
  -c STRING, --collection=STRING      Specify collection name to load.
  -d, --debug                         Enable debug output.
  -D INT, --list-depth=INT            When listing tasks, only show the first
                                      INT levels.
  -e, --echo                          Echo executed commands before running.
  -f STRING, --config=STRING          Runtime configuration file to use.
  -F STRING, --list-format=STRING     Change the display format used when
                                      listing tasks. Should be one of: flat
                                      (default), nested, json.
  -h [STRING], --help[=STRING]        Show core or per-task help and exit.
  -l [STRING], --list[=STRING]        List available tasks, optionally limited
                                      to a namespace.
  -p, --pty                           Use a pty when executing shell commands.
  -r STRING, --search-root=STRING     Change root directory used for finding
                                      task modules.
  -R, --dry                           Echo commands instead of running.
  -T FLOAT, --command-timeout=FLOAT   Specify a global command execution
                                      timeout, in seconds.
  -V, --version                       Show version and exit.
  -w, --warn-only                     Warn, instead of failing, when shell
                                      commands fail.

`);
  });
});
