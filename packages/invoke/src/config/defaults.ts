import { DEFAULT_CAPTURE_LIMIT } from "../runners/capture.js";
import type { InvokeConfigData } from "./types.js";

/** A fresh copy of Invoke's global defaults (camelCase keys). */
export function invokeDefaults(): InvokeConfigData {
  return {
    run: {
      asynchronous: false,
      disown: false,
      dry: false,
      echo: false,
      echoFormat: "\u001b[1;37m{command}\u001b[0m",
      echoStdin: null,
      encoding: null,
      env: {},
      errStream: null,
      outStream: null,
      inStream: null,
      fallback: true,
      hide: null,
      pty: false,
      replaceEnv: false,
      shell: "/bin/bash",
      warn: false,
      watchers: [],
      captureLimit: DEFAULT_CAPTURE_LIMIT,
    },
    sudo: { password: null, prompt: "[sudo] password: ", user: null, shell: null },
    runners: { local: null },
    tasks: {
      autoDashNames: true,
      collectionName: "tasks",
      dedupe: true,
      executorClass: null,
      ignoreUnknownHelp: false,
      searchRoot: null,
    },
    timeouts: { command: null },
  };
}
