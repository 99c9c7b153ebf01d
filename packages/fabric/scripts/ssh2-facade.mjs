// What the bundled CLI gets for `import ssh2 from "ssh2"`. ssh2's index loads every part at once,
// including its server and HTTP(S) agents and with them node:http, node:https and node:tls, which a
// client never uses. This facade has the index's exports but loads each one from its own file on
// first use (the same files the index requires). If ssh2's layout is not the expected one, it falls
// back to the index.

/** Module source for the facade; `requireExpr` is an expression for a `require` that finds ssh2. */
export function ssh2FacadeSource(requireExpr) {
  return `import { createRequire } from "node:module";
const load = ${requireExpr};
let m;
try {
  load.resolve("ssh2/lib/client.js");
  m = lazyIndex((file) => load("ssh2/lib/" + file));
} catch {
  m = load("ssh2");
}
export default m;

function lazyIndex(lib) {
  const agent = () => lib("agent.js");
  const sftp = () => lib("protocol/SFTP.js");
  const keygen = () => lib("keygen.js");
  return {
    get AgentProtocol() { return agent().AgentProtocol; },
    get BaseAgent() { return agent().BaseAgent; },
    get createAgent() { return agent().createAgent; },
    get Client() { return lib("client.js"); },
    get CygwinAgent() { return agent().CygwinAgent; },
    get HTTPAgent() { return lib("http-agents.js").SSHTTPAgent; },
    get HTTPSAgent() { return lib("http-agents.js").SSHTTPSAgent; },
    get OpenSSHAgent() { return agent().OpenSSHAgent; },
    get PageantAgent() { return agent().PageantAgent; },
    get Server() { return lib("server.js"); },
    utils: {
      get parseKey() { return lib("protocol/keyParser.js").parseKey; },
      get generateKeyPair() { return keygen().generateKeyPair; },
      get generateKeyPairSync() { return keygen().generateKeyPairSync; },
      sftp: {
        get flagsToString() { return sftp().flagsToString; },
        get OPEN_MODE() { return sftp().OPEN_MODE; },
        get STATUS_CODE() { return sftp().STATUS_CODE; },
        get stringToFlags() { return sftp().stringToFlags; },
      },
    },
  };
}
`;
}
