import type { Z } from "@fabric-ts/invoke";

/** Zod schemas of Fabric's config sections (every key optional, as for Invoke's). */
export function fabricSchemaSections(z: Z) {
  const path = z.string().min(1);
  const keyFiles = z.union([path, z.array(path)]);
  return {
    authentication: z.strictObject({ identities: z.array(path) }).partial(),
    // Loose: any ssh-core connect option may be given; the common ones are typed (and snake_case-normalised).
    connectKwargs: z
      .looseObject({
        keyFilename: keyFiles,
        identityFiles: z.array(path),
        password: z.string(),
        passphrase: z.string(),
        agent: z.union([z.string(), z.literal(false)]),
        identitiesOnly: z.boolean(),
        connectTimeout: z.number().positive(),
        strictHostKeyChecking: z.enum(["yes", "accept-new", "no", "off", "ask"]),
        userKnownHostsFiles: z.array(path),
        compression: z.boolean(),
        batchMode: z.boolean(),
      })
      .partial(),
    // true/false, or an agent socket path to forward (like ssh_config `ForwardAgent /path`).
    forwardAgent: z.union([z.boolean(), path]),
    gateway: z.string().min(1).nullable(),
    inlineSshEnv: z.boolean(),
    inventory: z.union([path, z.array(path)]).nullable(),
    loadSshConfigs: z.boolean(),
    port: z.number().int().min(1).max(65535),
    persist: z.union([z.boolean(), z.number().min(0), z.string()]).nullable(),
    persistDir: path.nullable(),
    sshConfigPath: path.nullable(),
    runtimeSshPath: path.nullable(),
    systemSshPath: path,
    userSshPath: path,
    timeouts: z
      .strictObject({ command: z.number().positive().nullable(), connect: z.number().positive().nullable() })
      .partial(),
    user: z.string().min(1).nullable(),
  };
}
