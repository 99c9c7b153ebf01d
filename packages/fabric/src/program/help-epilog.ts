import { existsSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";

/** Where the installed package's docs are, when they are there. */
function docsDir(): string | undefined {
  try {
    const root = dirname(createRequire(import.meta.url).resolve("@fabric-ts/fabric/package.json"));
    const docs = join(root, "docs");
    return existsSync(join(docs, "fab-cli.md")) ? docs : undefined;
  } catch {
    return undefined;
  }
}

/** What `fab --help` prints after the options: examples, environment variables, where the docs are. */
export function fabHelpEpilog(): string {
  const docs = docsDir();
  return `Examples:

  fab -H web1,web2 deploy                  run the task "deploy" on web1, then on web2
  fab -H web1,web2,web3 -P deploy          on all of them at once (at most --concurrency)
  fab -H web1 --set deploy_env=production deploy
  fab -S ./ssh_config -H db1 -- uptime     a command on the hosts, no fabfile needed
  fab --json -P -H a,b -- uname -a | jq -c .
  fab --list                               the fabfile's tasks (fab --help TASK: one task)

Environment:

  FABRIC_RUNTIME_CONFIG      a config file loaded as if given with -f (else INVOKE_RUNTIME_CONFIG)
  FABRIC_<KEY>               config values: FABRIC_RUN_ECHO=1, FABRIC_TIMEOUTS_CONNECT=5, ...
  SSH_AUTH_SOCK              the ssh-agent to use (and to forward)
  NO_COLOR, FORCE_COLOR      never / always colour host prefixes and the summary
  FABRIC_TS_TRANSFORM_CACHE  off, or a directory for jiti's fabfile transforms
  FABRIC_TS_TYPESCRIPT=jiti  load a TypeScript fabfile with jiti even where Node strips types
  FABRIC_TS_EARLY_DIAL=off   no early TCP connect to a single -H host

Docs: ${docs ? `${join(docs, "fab-cli.md")} (flags, output, JSON events, exit codes), and ${docs}/` : "fab-cli.md in the docs of @fabric-ts/fabric (flags, output, JSON events, exit codes)"}
`;
}
