import { connect, type Socket } from "node:net";
import { formatHostPort, SshAbortError, SshConnectError } from "../errors.js";

export interface TcpConnectOptions {
  host: string;
  port: number;
  /** Milliseconds for the TCP connect; undefined leaves it to the OS. */
  timeout?: number | undefined;
  signal?: AbortSignal | undefined;
}

/**
 * Open the TCP connection ourselves (rather than letting ssh2 do it) so that TCP_NODELAY is set on
 * every socket (Nagle costs ~40 ms per round trip), the connect timeout is ours, and failures come
 * back as typed errors.
 */
export function openTcpSocket(options: TcpConnectOptions): Promise<Socket> {
  if (options.signal?.aborted) {
    return Promise.reject(new SshAbortError("Connect aborted", { cause: options.signal.reason }));
  }
  return awaitTcpConnect(startTcpConnect(options.host, options.port), options);
}

/** Start a TCP connect with TCP_NODELAY; the caller must listen for its `error`. */
export function startTcpConnect(host: string, port: number): Socket {
  const socket = connect({ host, port, noDelay: true });
  socket.setNoDelay(true);
  return socket;
}

/**
 * Wait for a connect started by {@link startTcpConnect} (possibly earlier, see EarlyDial), with
 * `options`' timeout and signal; failures are classified as typed errors and destroy the socket.
 */
export function awaitTcpConnect(socket: Socket, options: TcpConnectOptions): Promise<Socket> {
  const { host, port, timeout, signal } = options;
  return new Promise((resolve, reject) => {
    if (signal?.aborted) {
      socket.destroy();
      reject(new SshAbortError("Connect aborted", { cause: signal.reason }));
      return;
    }
    let timer: NodeJS.Timeout | undefined;
    const cleanup = () => {
      if (timer) clearTimeout(timer);
      signal?.removeEventListener("abort", onAbort);
      socket.off("connect", onConnect);
      socket.off("error", onError);
    };
    const fail = (error: Error) => {
      cleanup();
      socket.destroy();
      reject(error);
    };
    const onConnect = () => {
      cleanup();
      resolve(socket);
    };
    const onError = (error: NodeJS.ErrnoException) => fail(classifySocketError(error, host, port));
    const onAbort = () => fail(new SshAbortError("Connect aborted", { cause: signal?.reason }));
    socket.once("connect", onConnect);
    socket.once("error", onError);
    signal?.addEventListener("abort", onAbort, { once: true });
    if (timeout !== undefined && timeout > 0) {
      timer = setTimeout(
        () =>
          fail(
            new SshConnectError(
              "CONNECT_TIMEOUT",
              host,
              port,
              `Connection to ${formatHostPort(host, port)} timed out after ${timeout} ms`,
            ),
          ),
        timeout,
      );
    }
  });
}

export function classifySocketError(
  error: NodeJS.ErrnoException,
  host: string,
  port: number,
): SshConnectError {
  const where = formatHostPort(host, port);
  switch (error.code) {
    case "ECONNREFUSED":
      return new SshConnectError("CONNECT_REFUSED", host, port, `Connection refused by ${where}`, {
        cause: error,
      });
    case "ETIMEDOUT":
      return new SshConnectError("CONNECT_TIMEOUT", host, port, `Connection to ${where} timed out`, {
        cause: error,
      });
    case "ENOTFOUND":
    case "EAI_AGAIN":
      return new SshConnectError("HOST_UNREACHABLE", host, port, `Could not resolve hostname ${host}`, {
        cause: error,
      });
    default:
      return new SshConnectError(
        "HOST_UNREACHABLE",
        host,
        port,
        `Cannot reach ${where}: ${error.code ?? error.message}`,
        { cause: error },
      );
  }
}
