import { resolve } from "node:path";
import type { Attributes, SFTPWrapper } from "ssh2";
import type { HandleTable } from "./handles.js";
import { STATUS, statusForError, statusMessage } from "./status.js";

/** What every request handler needs: the wire, the open handles and the home directory. */
export class SftpContext {
  constructor(
    readonly sftp: SFTPWrapper,
    readonly handles: HandleTable,
    private readonly home: string,
  ) {}

  /** Relative paths are relative to the home directory, like sftp-server after its chdir. */
  resolve(path: string): string {
    return resolve(this.home, path === "" ? "." : path);
  }

  status(reqid: number, code: number): number {
    this.sftp.status(reqid, code, statusMessage(code));
    return code;
  }

  ok(reqid: number): number {
    return this.status(reqid, STATUS.OK);
  }

  fail(reqid: number, error: unknown): number {
    return this.status(reqid, statusForError(error));
  }

  /** A NAME reply carrying a single path (REALPATH, READLINK). */
  namePath(reqid: number, path: string): number {
    this.sftp.name(reqid, [{ filename: path, longname: path, attrs: {} as Attributes }]);
    return STATUS.OK;
  }
}

/** The attribute fields a client actually sent (ssh2 leaves the others undefined). */
export interface SentAttributes {
  mode?: number;
  uid?: number;
  gid?: number;
  size?: number;
  atime?: number;
  mtime?: number;
}

export function sentAttributes(attrs: Attributes | undefined): SentAttributes {
  return (attrs ?? {}) as SentAttributes;
}
