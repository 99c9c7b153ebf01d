import ssh2 from "ssh2";

export const STATUS = ssh2.utils.sftp.STATUS_CODE;

// The texts OpenSSH's sftp-server sends with each status code.
const MESSAGES: Record<number, string> = {
  [STATUS.OK]: "Success",
  [STATUS.EOF]: "End of file",
  [STATUS.NO_SUCH_FILE]: "No such file",
  [STATUS.PERMISSION_DENIED]: "Permission denied",
  [STATUS.FAILURE]: "Failure",
  [STATUS.BAD_MESSAGE]: "Bad message",
  [STATUS.OP_UNSUPPORTED]: "Operation unsupported",
};

export function statusMessage(code: number): string {
  return MESSAGES[code] ?? "Failure";
}

/** Maps a Node fs error to an SFTP v3 status code the way sftp-server maps errno. */
export function statusForError(error: unknown): number {
  const code = (error as NodeJS.ErrnoException | undefined)?.code;
  switch (code) {
    case "ENOENT":
    case "ENOTDIR":
    case "EBADF":
    case "ELOOP":
      return STATUS.NO_SUCH_FILE;
    case "EPERM":
    case "EACCES":
    case "EFAULT":
      return STATUS.PERMISSION_DENIED;
    case "ENAMETOOLONG":
    case "EINVAL":
      return STATUS.BAD_MESSAGE;
    case "ENOSYS":
      return STATUS.OP_UNSUPPORTED;
    default:
      return STATUS.FAILURE;
  }
}
