import { isSshError } from "@fabric-ts/ssh-core/errors";

/** What Fabric's config offers beside ssh_config for hosts whose key is not in known_hosts yet. */
const CONFIG_HINT =
  " In a fabric-ts config the same is `connectKwargs.strictHostKeyChecking: accept-new` " +
  "(`fab --set connectKwargs.strictHostKeyChecking=accept-new …` for one run).";

/** Add Fabric's config equivalent to ssh-core's unknown-host-key error (other errors unchanged). */
export function withHostKeyConfigHint(error: unknown): unknown {
  if (isSshError(error, "HOST_KEY_UNKNOWN")) {
    if (!error.message.includes(CONFIG_HINT)) error.message += CONFIG_HINT;
  }
  return error;
}
