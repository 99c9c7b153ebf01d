/**
 * Bytes of requests a transfer keeps in flight by default. Both directions are capped by the SSH
 * channel window (2 MiB each way with ssh2 and OpenSSH), so more than a few windows' worth only
 * queues; 8 MiB keeps the window full with room to spare on long round trips.
 */
export const DEFAULT_IN_FLIGHT_BYTES = 8 * 1024 * 1024;
/** Never more requests than this in flight, whatever the request size. */
export const MAX_DEFAULT_CONCURRENCY = 64;

export interface PipelineOptions {
  /** Requests in flight at once. Default: {@link DEFAULT_IN_FLIGHT_BYTES} / chunk, at most 64. */
  concurrency?: number | undefined;
  /** Bytes per request. Default and cap: the largest request the server accepts. */
  chunkSize?: number | undefined;
}

export interface PipelineSize {
  chunk: number;
  concurrency: number;
}

/**
 * Request size and count for one transfer. Fewer, larger requests cost less CPU on both sides (each
 * request is a packet to build, parse and answer, and a local read or write), so the default is the
 * server's own maximum: 255 KiB for OpenSSH's sftp-server, ssh2's safe 32 KiB for other servers.
 */
export function pipelineSize(serverLimit: number, options: PipelineOptions = {}): PipelineSize {
  const limit = Math.max(1, Math.floor(serverLimit));
  const chunk = Math.max(1, Math.min(Math.floor(finite(options.chunkSize) ?? limit), limit));
  const concurrency = Math.max(
    1,
    Math.floor(
      finite(options.concurrency) ?? Math.min(MAX_DEFAULT_CONCURRENCY, DEFAULT_IN_FLIGHT_BYTES / chunk),
    ),
  );
  return { chunk, concurrency };
}

function finite(value: number | undefined): number | undefined {
  return value !== undefined && Number.isFinite(value) ? value : undefined;
}
