// Seed (deep dive): gateway / jump hosts.
//   bastion = Connection("bastion.example.com")
//   internal = Connection("10.0.1.50", gateway=bastion)
//   internal.run("hostname")
// "You can chain multiple gateways for deeply nested networks."
import { Connection, type ConnectionOptions } from "@fabric-ts/fabric";
import { runIfMain } from "./support/run-main.js";

/** What the target saw: the address sshd answered on (`$SSH_CONNECTION`) and its hostname. */
export interface Reached {
  serverAddress: string;
  hostname: string;
  /** Whether every gateway Connection was open while the command ran. */
  gatewaysOpen: boolean;
  /** `<Connection host=… gw=proxyjump>` */
  repr: string;
}

export async function runViaBastion(
  bastionHost: string,
  internalHost: string,
  options: ConnectionOptions = {},
) {
  return runViaGateways([bastionHost], internalHost, options);
}

/** `hops[0]` is dialled first (the outermost bastion), each next hop through the previous one. */
export async function runViaGateways(
  hops: string[],
  target: string,
  options: ConnectionOptions = {},
): Promise<Reached> {
  const gateways: Connection[] = [];
  for (const hop of hops)
    gateways.push(new Connection(hop, { ...options, gateway: gateways.at(-1) ?? false }));
  const internal = new Connection(target, { ...options, gateway: gateways.at(-1) ?? false });
  try {
    const result = await internal.run("echo $SSH_CONNECTION | cut -d' ' -f3; hostname", { hide: true });
    const [serverAddress = "", hostname = ""] = result.stdout.trim().split("\n");
    return {
      serverAddress,
      hostname,
      gatewaysOpen: gateways.every((g) => g.isConnected),
      repr: String(internal),
    };
  } finally {
    await internal.close();
    for (const gateway of gateways.reverse()) await gateway.close();
  }
}

await runIfMain(import.meta.url, (...hosts: string[]) => {
  const target = hosts.pop() ?? "10.0.1.50";
  return runViaGateways(hosts.length ? hosts : ["bastion.example.com"], target);
});
