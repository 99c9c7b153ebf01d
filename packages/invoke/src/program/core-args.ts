import { Argument } from "../parser/argument.js";

/** Flags every program has (Invoke's `core_args()`). */
export function defaultCoreArgs(): Argument[] {
  return [
    new Argument({
      names: ["complete"],
      kind: "bool",
      default: false,
      help: "Print tab-completion candidates for given parse remainder.",
    }),
    new Argument({ names: ["debug", "d"], kind: "bool", default: false, help: "Enable debug output." }),
    new Argument({
      names: ["list-depth", "D"],
      kind: "int",
      help: "When listing tasks, only show the first INT levels.",
    }),
    new Argument({
      names: ["list-format", "F"],
      default: "flat",
      help: "Change the display format used when listing tasks. Should be one of: flat (default), nested, json.",
    }),
    new Argument({ names: ["help", "h"], optional: true, help: "Show core or per-task help and exit." }),
    new Argument({
      names: ["list", "l"],
      optional: true,
      help: "List available tasks, optionally limited to a namespace.",
    }),
    new Argument({
      names: ["print-completion-script"],
      default: "",
      help: "Print the tab-completion script for your preferred shell (bash|zsh|fish).",
    }),
    new Argument({ names: ["version", "V"], kind: "bool", default: false, help: "Show version and exit." }),
    ...runOptionArgs(),
  ];
}

/** Flags that set config values for the session. */
function runOptionArgs(): Argument[] {
  return [
    new Argument({
      names: ["echo", "e"],
      kind: "bool",
      default: false,
      help: "Echo executed commands before running.",
    }),
    new Argument({ names: ["config", "f"], help: "Runtime configuration file to use." }),
    new Argument({ names: ["hide"], help: "Set default value of run()'s 'hide' option." }),
    new Argument({
      names: ["pty", "p"],
      kind: "bool",
      default: false,
      help: "Use a pty when executing shell commands.",
    }),
    new Argument({
      names: ["dry", "R"],
      kind: "bool",
      default: false,
      help: "Echo commands instead of running.",
    }),
    new Argument({
      names: ["command-timeout", "T"],
      kind: "float",
      help: "Specify a global command execution timeout, in seconds.",
    }),
    new Argument({
      names: ["prompt-for-sudo-password"],
      kind: "bool",
      default: false,
      help: "Prompt user at start of session for the sudo.password config value.",
    }),
    new Argument({
      names: ["set"],
      kind: "list",
      help: "Set a config value for this run: key.path=value (typed; repeatable).",
    }),
    new Argument({
      names: ["warn-only", "w"],
      kind: "bool",
      default: false,
      help: "Warn, instead of failing, when shell commands fail.",
    }),
  ];
}

/** Flags only meaningful when tasks are loaded from a file (not in bundled-namespace mode). */
export function defaultTaskArgs(): Argument[] {
  return [
    new Argument({ names: ["collection", "c"], help: "Specify collection name to load." }),
    new Argument({ names: ["no-dedupe"], kind: "bool", default: false, help: "Disable task deduplication." }),
    new Argument({
      names: ["search-root", "r"],
      help: "Change root directory used for finding task modules.",
    }),
  ];
}
