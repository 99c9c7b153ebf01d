import { connect } from "node:net";

/** One identity an ssh-agent holds: its public key or certificate blob, and comment. */
export interface AgentIdentity {
  blob: Buffer;
  comment: string;
}

const REQUEST_IDENTITIES = 11;
const IDENTITIES_ANSWER = 12;

/**
 * Ask an ssh-agent for its identities, certificates included (ssh2's agent client drops the
 * certificates it cannot parse). Rejects when the socket cannot be reached or answers nonsense.
 */
export function requestAgentIdentities(socketPath: string): Promise<AgentIdentity[]> {
  return new Promise((resolve, reject) => {
    const socket = connect(socketPath);
    const chunks: Buffer[] = [];
    let received = 0;
    const fail = (error: Error) => {
      socket.destroy();
      reject(error);
    };
    socket.once("error", fail);
    socket.once("connect", () => socket.write(Buffer.from([0, 0, 0, 1, REQUEST_IDENTITIES])));
    socket.on("data", (chunk: Buffer) => {
      chunks.push(chunk);
      received += chunk.length;
      const data = Buffer.concat(chunks, received);
      if (data.length < 4 || data.length < 4 + data.readUInt32BE(0)) return;
      socket.destroy();
      try {
        resolve(parseIdentitiesAnswer(data.subarray(4, 4 + data.readUInt32BE(0))));
      } catch (error) {
        reject(error);
      }
    });
    socket.once("close", () => fail(new Error("ssh-agent closed the connection without answering")));
  });
}

function parseIdentitiesAnswer(message: Buffer): AgentIdentity[] {
  if (message[0] !== IDENTITIES_ANSWER)
    throw new Error(`ssh-agent refused to list identities (${message[0]})`);
  let offset = 1;
  const readString = (): Buffer => {
    if (offset + 4 > message.length) throw new Error("malformed ssh-agent answer");
    const length = message.readUInt32BE(offset);
    const start = offset + 4;
    if (start + length > message.length) throw new Error("malformed ssh-agent answer");
    offset = start + length;
    return message.subarray(start, offset);
  };
  if (message.length < 5) throw new Error("malformed ssh-agent answer");
  const count = message.readUInt32BE(offset);
  offset += 4;
  const identities: AgentIdentity[] = [];
  for (let i = 0; i < count; i++) {
    const blob = Buffer.from(readString());
    identities.push({ blob, comment: readString().toString("utf8") });
  }
  return identities;
}
