// The parts of ssh2 that ssh-core uses, required on first use rather than imported. Loading ssh2's
// index costs twice what its client parts do: it also loads its server, its HTTP(S) agents and
// with them node:http, node:https and node:tls, which a client never uses. So the client, the key
// parser and the agents are required from their own files (ssh2 has no `exports` map that hides
// them), falling back to the index if its layout ever differs. Code that never connects (`fab
// --list`, config and ssh_config tools) loads none of it. ssh2 is CommonJS, so a synchronous
// require serves constructors too. This module is the only one that knows ssh2's file layout.
import { createRequire } from "node:module";
import { applyToLoadedSsh2 } from "../ssh2-internals.js";

type Ssh2Module = typeof import("ssh2");

/** What ssh-core takes from ssh2. */
export interface Ssh2Parts {
  Client: Ssh2Module["Client"];
  parseKey: Ssh2Module["utils"]["parseKey"];
  BaseAgent: Ssh2Module["BaseAgent"];
  OpenSSHAgent: Ssh2Module["OpenSSHAgent"];
}

let loaded: Ssh2Parts | undefined;

/** ssh2's client parts, loaded by the first call. */
export function ssh2(): Ssh2Parts {
  if (!loaded) {
    loaded = load();
    applyToLoadedSsh2();
  }
  return loaded;
}

function load(): Ssh2Parts {
  const require = createRequire(import.meta.url);
  try {
    const agents = require("ssh2/lib/agent.js") as Pick<Ssh2Module, "BaseAgent" | "OpenSSHAgent">;
    const keyParser = require("ssh2/lib/protocol/keyParser.js") as Pick<Ssh2Module["utils"], "parseKey">;
    const Client = require("ssh2/lib/client.js") as Ssh2Module["Client"];
    if (typeof Client === "function" && typeof keyParser.parseKey === "function" && agents.BaseAgent) {
      return {
        Client,
        parseKey: keyParser.parseKey,
        BaseAgent: agents.BaseAgent,
        OpenSSHAgent: agents.OpenSSHAgent,
      };
    }
  } catch {
    // Another layout: the index has everything.
  }
  const index = require("ssh2") as Ssh2Module;
  return {
    Client: index.Client,
    parseKey: index.utils.parseKey,
    BaseAgent: index.BaseAgent,
    OpenSSHAgent: index.OpenSSHAgent,
  };
}
