// Seed (deep dive): overriding any parameter.
//   c = Connection(host="10.0.1.50", user="deploy", port=2222,
//                  connect_kwargs={"key_filename": "/path/to/key.pem"}, connect_timeout=10)
import { Connection, type ConnectionOptions } from "@fabric-ts/fabric";
import { runIfMain } from "./support/run-main.js";

export interface ServerAccess {
  host: string;
  user: string;
  port: number;
  keyFilename: string;
}

export async function connectWithKey(access: ServerAccess, options: ConnectionOptions = {}) {
  await using c = new Connection(access.host, {
    ...options,
    user: access.user,
    port: access.port,
    connectKwargs: { ...options.connectKwargs, keyFilename: access.keyFilename },
    connectTimeout: 10,
  });
  const whoami = (await c.run("whoami", { hide: true })).stdout.trim();
  return { whoami, connectTimeout: c.connectTimeout, identityFiles: c.identityFiles };
}

await runIfMain(
  import.meta.url,
  (host = "10.0.1.50", user = "deploy", port = "2222", key = "/path/to/key.pem") =>
    connectWithKey({ host, user, port: Number(port), keyFilename: key }),
);
