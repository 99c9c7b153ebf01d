import type { SFTPWrapper } from "ssh2";
import type { ConnectionState } from "../connection-state.js";
import type { HostRuntime } from "../runtime.js";
import type { SftpOperation } from "../types.js";
import { SftpContext } from "./context.js";
import { closeHandle, fsetstat, fstat, openFile, readFile, writeFile } from "./file-ops.js";
import { HandleTable } from "./handles.js";
import {
  canonicalPath,
  makeDirectory,
  makeSymlink,
  openDirectory,
  readDirectory,
  readLink,
  removeDirectory,
  removeFile,
  renamePath,
  setstat,
  statPath,
} from "./path-ops.js";
import { STATUS } from "./status.js";

/**
 * Serves the sftp subsystem from the real filesystem. Requests are handled concurrently and answered as
 * they complete (replies carry the request id), so pipelining clients keep many reads/writes in flight.
 */
export function serveSftp(sftp: SFTPWrapper, state: ConnectionState, host: HostRuntime): void {
  const ctx = new SftpContext(sftp, new HandleTable(), host.dir);

  const report = (operation: SftpOperation, path: string, status: number) => {
    host.emit("sftp", { connection: state, operation, path, status });
  };
  /** Runs a path-based request: failures become status replies, and every outcome is reported. */
  const onPath = (
    operation: SftpOperation,
    reqid: number,
    rawPath: string,
    run: (path: string) => Promise<number>,
  ) => {
    const path = ctx.resolve(rawPath);
    run(path).then(
      (status) => report(operation, path, status),
      (error: unknown) => report(operation, path, ctx.fail(reqid, error)),
    );
  };
  /** Runs a handle-based request on the hot path: no event, just the reply. */
  const onHandle = (reqid: number, run: () => Promise<unknown>) => {
    run().catch((error: unknown) => ctx.fail(reqid, error));
  };

  sftp.on("OPEN", (reqid, filename, flags, attrs) =>
    onPath("open", reqid, filename, (path) => openFile(ctx, reqid, path, flags, attrs)),
  );
  sftp.on("CLOSE", (reqid, handle) => onHandle(reqid, () => closeHandle(ctx, reqid, handle)));
  sftp.on("READ", (reqid, handle, offset, length) =>
    onHandle(reqid, () => readFile(ctx, reqid, handle, offset, length)),
  );
  sftp.on("WRITE", (reqid, handle, offset, data) =>
    onHandle(reqid, () => writeFile(ctx, reqid, handle, offset, data)),
  );
  sftp.on("FSTAT", (reqid, handle) => onHandle(reqid, () => fstat(ctx, reqid, handle)));
  sftp.on("FSETSTAT", (reqid, handle, attrs) => onHandle(reqid, () => fsetstat(ctx, reqid, handle, attrs)));
  sftp.on("STAT", (reqid, path) => onPath("stat", reqid, path, (p) => statPath(ctx, reqid, p, true)));
  sftp.on("LSTAT", (reqid, path) => onPath("lstat", reqid, path, (p) => statPath(ctx, reqid, p, false)));
  sftp.on("SETSTAT", (reqid, path, attrs) =>
    onPath("setstat", reqid, path, (p) => setstat(ctx, reqid, p, attrs)),
  );
  sftp.on("OPENDIR", (reqid, path) => onPath("opendir", reqid, path, (p) => openDirectory(ctx, reqid, p)));
  sftp.on("READDIR", (reqid, handle) => onHandle(reqid, () => readDirectory(ctx, reqid, handle)));
  sftp.on("REMOVE", (reqid, path) => onPath("remove", reqid, path, (p) => removeFile(ctx, reqid, p)));
  sftp.on("MKDIR", (reqid, path, attrs) =>
    onPath("mkdir", reqid, path, (p) => makeDirectory(ctx, reqid, p, attrs)),
  );
  sftp.on("RMDIR", (reqid, path) => onPath("rmdir", reqid, path, (p) => removeDirectory(ctx, reqid, p)));
  sftp.on("REALPATH", (reqid, path) => onPath("realpath", reqid, path, (p) => canonicalPath(ctx, reqid, p)));
  sftp.on("READLINK", (reqid, path) => onPath("readlink", reqid, path, (p) => readLink(ctx, reqid, p)));
  sftp.on("RENAME", (reqid, from, to) =>
    onPath("rename", reqid, from, (p) => renamePath(ctx, reqid, p, ctx.resolve(to))),
  );
  sftp.on("SYMLINK", (reqid, linkPath, target) =>
    onPath("symlink", reqid, linkPath, (p) => makeSymlink(ctx, reqid, p, target)),
  );
  // No extensions are advertised, so a client that sends one anyway gets the standard refusal.
  sftp.on("EXTENDED", (reqid) => ctx.status(reqid, STATUS.OP_UNSUPPORTED));

  const closeAll = () => {
    forget();
    void ctx.handles.closeAll();
  };
  const forget = state.onClose(closeAll);
  // EOF from the client ends the session, as sftp-server exiting does: close the channel too.
  sftp.on("end", () => {
    closeAll();
    sftp.end();
  });
  sftp.on("close", closeAll);
  sftp.on("error", () => {});
}
