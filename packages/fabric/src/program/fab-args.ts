import { Argument } from "@fabric-ts/invoke";

/** Fabric's core flags (on top of Invoke's), plus `-P`, `--concurrency` and `--json`. */
export function fabCoreArgs(): Argument[] {
  return [
    new Argument({
      names: ["hosts", "H"],
      help: "Comma-separated host name(s) to execute tasks against.",
    }),
    new Argument({
      names: ["identity", "i"],
      kind: "list",
      help: "Path to runtime SSH identity (key) file. May be given multiple times.",
    }),
    new Argument({
      names: ["ssh-config", "S"],
      help: "Path to runtime SSH config file.",
    }),
    new Argument({
      names: ["connect-timeout", "t"],
      kind: "int",
      help: "Specifies default connection timeout, in seconds.",
    }),
    new Argument({
      names: ["list-agent-keys"],
      kind: "bool",
      default: false,
      help: "Display ssh-agent key list, and exit.",
    }),
    new Argument({
      names: ["prompt-for-login-password"],
      kind: "bool",
      default: false,
      help: "Request an upfront SSH-auth password prompt.",
    }),
    new Argument({
      names: ["prompt-for-passphrase"],
      kind: "bool",
      default: false,
      help: "Request an upfront SSH key passphrase prompt.",
    }),
    new Argument({
      names: ["parallel", "P"],
      kind: "bool",
      default: false,
      help: "Run each task on all its hosts at once (see --concurrency).",
    }),
    new Argument({
      names: ["concurrency"],
      kind: "int",
      help: "With -P: how many hosts run at once (default 64).",
    }),
    new Argument({
      names: ["skip-unreachable"],
      kind: "bool",
      default: false,
      help: "Report hosts that cannot be reached apart, without failing the run.",
    }),
    new Argument({
      names: ["yes"],
      kind: "bool",
      default: false,
      help: "Answer yes to every confirm() of the helpers (config prompts.yes).",
    }),
    new Argument({
      names: ["persist"],
      optional: true,
      help: "Keep each host's connection open in the background for later runs (default 10m idle; e.g. --persist=1h).",
    }),
    new Argument({
      names: ["masters"],
      kind: "bool",
      default: false,
      help: "List the background connections kept by --persist, and exit.",
    }),
    new Argument({
      names: ["stop-masters"],
      kind: "bool",
      default: false,
      help: "Close the background connections kept by --persist, and exit.",
    }),
    new Argument({
      names: ["json"],
      kind: "bool",
      default: false,
      help: "Write output and results as JSON lines (NDJSON events) on stdout.",
    }),
  ];
}
