import type { EarlyDial } from "@fabric-ts/ssh-core/early-dial";

/** The connection the `fab` CLI started while it loaded, until a Connection takes it. */
let offered: EarlyDial | null = null;

/** Offer a connection started early to the next Connection that dials directly (replacing any other). */
export function offerEarlyDial(dial: EarlyDial | null): void {
  if (offered !== dial) offered?.discard();
  offered = dial;
}

/**
 * Take the offered connection, once. The taker passes it to `SshClient.connect()`, which uses it only
 * if it goes where the Connection resolved to, and closes it otherwise.
 */
export function claimEarlyDial(): EarlyDial | null {
  const dial = offered;
  offered = null;
  return dial;
}
