import type { SshClient } from "@fabric-ts/ssh-core";

/**
 * The targets tunnelling through one gateway Connection (ProxyJump). The gateway opens for its first
 * target and stays open while any target uses it; the last one out closes it, unless the gateway was
 * also opened for its own sake (`open()`, a command run on it).
 */
export class GatewayLeases {
  #count = 0;
  /** Opened for its own use (not only as a gateway): stays open when its last target closes. */
  ownUse = false;

  /** Count one more target, then open the gateway's client (uncounted again when that fails). */
  async acquire(open: () => Promise<SshClient>): Promise<SshClient> {
    this.#count++;
    try {
      return await open();
    } catch (error) {
      this.#count--;
      throw error;
    }
  }

  /** A target stopped using the gateway; true when that was the last one and the gateway should close. */
  release(): boolean {
    this.#count = Math.max(0, this.#count - 1);
    return this.#count === 0 && !this.ownUse;
  }
}
