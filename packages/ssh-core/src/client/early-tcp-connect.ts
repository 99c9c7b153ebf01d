import type { Socket } from "node:net";
import { SshAbortError } from "../errors.js";
import { awaitTcpConnect, classifySocketError, startTcpConnect, type TcpConnectOptions } from "./socket.js";

/**
 * A TCP connection started before its SSH client exists, so that the connect and the server's
 * start-up (sshd forks and re-executes itself per connection before sending its banner) overlap
 * whatever the process does meanwhile, e.g. a CLI loading its modules.
 *
 * It is only a head start: `SshClient.connect({ earlyDial })` adopts it on its first attempt when it
 * goes to the same `host` and `port`, and otherwise dials as usual. Until adopted the socket does not
 * keep the process alive, and errors are held: a connect that failed (refused, unknown name) is
 * reported by the adopter exactly as its own connect would have been; one that broke after
 * connecting is thrown away and the adopter dials again.
 */
export class EarlyDial {
  readonly host: string;
  readonly port: number;
  #socket: Socket | null;
  #error: NodeJS.ErrnoException | null = null;
  #connected = false;

  private constructor(host: string, port: number) {
    this.host = host;
    this.port = port;
    const socket = startTcpConnect(host, port);
    socket.unref();
    socket.on("error", this.#onError);
    socket.once("connect", this.#onConnect);
    this.#socket = socket;
  }

  /** Start connecting to `host:port` now. */
  static start(host: string, port: number): EarlyDial {
    return new EarlyDial(host, port);
  }

  /** Whether the connection is still there to be adopted. */
  get pending(): boolean {
    return this.#socket !== null;
  }

  /**
   * Take the connection for `target` (once): a promise of the connected socket, waiting with the
   * target's timeout and signal if it is still connecting. Null, with the socket closed, when it is
   * for another address, already taken or discarded, or broke after connecting.
   */
  adopt(target: TcpConnectOptions): Promise<Socket> | null {
    const socket = this.#socket;
    if (socket === null) return null;
    this.#socket = null;
    socket.off("error", this.#onError);
    socket.off("connect", this.#onConnect);
    const error = this.#error;
    if (target.host !== this.host || target.port !== this.port || (this.#connected && error !== null)) {
      socket.on("error", () => {});
      socket.destroy();
      return null;
    }
    socket.ref();
    if (error !== null) {
      socket.destroy();
      return Promise.reject(classifySocketError(error, this.host, this.port));
    }
    if (!this.#connected) return awaitTcpConnect(socket, target);
    if (target.signal?.aborted) {
      socket.destroy();
      return Promise.reject(new SshAbortError("Connect aborted", { cause: target.signal.reason }));
    }
    return Promise.resolve(socket);
  }

  /** Close the connection unless it was adopted (idempotent). */
  discard(): void {
    const socket = this.#socket;
    if (socket === null) return;
    this.#socket = null;
    socket.destroy();
  }

  readonly #onError = (error: NodeJS.ErrnoException): void => {
    this.#error ??= error;
  };

  readonly #onConnect = (): void => {
    this.#connected = true;
  };
}
