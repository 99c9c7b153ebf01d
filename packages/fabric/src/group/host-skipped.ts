/** Stands in a group result for a host that never ran (fail-fast stopped the group, or it was aborted). */
export class HostSkipped extends Error {
  readonly code = "HOST_SKIPPED";

  constructor(host: string, why: string) {
    super(`${host}: skipped (${why})`);
    this.name = "HostSkipped";
  }
}
