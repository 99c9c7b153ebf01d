import { createServer } from "node:net";

function listenOnce(address: string, port: number): Promise<number | undefined> {
  return new Promise((resolve) => {
    const server = createServer();
    server.unref();
    server.once("error", () => resolve(undefined));
    server.listen({ host: address, port, exclusive: true }, () => {
      const bound = server.address();
      const boundPort = typeof bound === "object" && bound ? bound.port : undefined;
      server.close(() => resolve(boundPort));
    });
  });
}

/** True when `port` can be bound on every address right now. */
export async function isPortFree(addresses: readonly string[], port: number): Promise<boolean> {
  for (const address of addresses) {
    if ((await listenOnce(address, port)) === undefined) return false;
  }
  return true;
}

/**
 * A port that is free on every address. Another process can still take it before sshd binds it;
 * the harness retries with a new port when that happens.
 */
export async function findFreePort(addresses: readonly string[]): Promise<number> {
  const [first, ...rest] = addresses;
  if (first === undefined) throw new Error("findFreePort: no addresses");
  for (let attempt = 0; attempt < 50; attempt++) {
    const port = await listenOnce(first, 0);
    if (port !== undefined && (await isPortFree(rest, port))) return port;
  }
  throw new Error(`findFreePort: no port free on all of ${addresses.join(", ")}`);
}
