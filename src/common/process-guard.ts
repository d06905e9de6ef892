/**
 * The last line of defence against one request stopping the whole service.
 *
 * Node's default for an uncaught exception (and, since Node 15, an unhandled rejection) is to print it and exit.
 * For one class of errors that is the wrong trade: an I/O stream that emits 'error' with no listener (a client
 * that resets its connection, a multipart part cut short, a write after the socket closed). Such an error
 * belongs to one request, which is abandoned; the rest of the process is intact. Those are logged at error level
 * with their stack (each one is a missing listener to fix) and the process carries on.
 *
 * Everything else (a TypeError in our code, an assertion, an error we cannot place) may have left shared state
 * half-updated: it is logged at fatal level and the process exits with status 1, as Node would, so that the
 * supervisor restarts a clean process. Carrying on after an unknown error is how corrupt state gets served.
 */

export interface GuardLogger {
  error(details: object, message: string): void;
  fatal(details: object, message: string): void;
}

/** Error codes of sockets and streams: the failing stream belongs to one connection. */
const STREAM_ERROR_CODES: ReadonlySet<string> = new Set([
  'ECONNRESET',
  'ECONNABORTED',
  'EPIPE',
  'ETIMEDOUT',
  'ERR_STREAM_PREMATURE_CLOSE',
  'ERR_STREAM_DESTROYED',
  'ERR_STREAM_WRITE_AFTER_END',
  'ERR_STREAM_PUSH_AFTER_EOF',
  'ERR_STREAM_UNSHIFT_AFTER_END_EVENT',
  'ERR_STREAM_ALREADY_FINISHED',
  'ERR_STREAM_CANNOT_PIPE',
]);

/** busboy's parse errors (multipart bodies that are cut short or malformed), raised from its own files. */
const BUSBOY_MESSAGES = /^(Unexpected end of (file|form)|Malformed part header|Malformed urlencoded form)$/;
const BUSBOY_FRAME = /[\\/]node_modules[\\/]busboy[\\/]/;

/** Whether an uncaught error is a stream error of one connection (survivable) rather than unknown state. */
export function isStreamError(err: unknown): boolean {
  if (typeof err !== 'object' || err === null) return false;
  const e = err as { code?: unknown; message?: unknown; stack?: unknown; context?: unknown };
  // EventEmitter wraps a non-Error 'error' value (or an Error from another realm) in ERR_UNHANDLED_ERROR.
  if (e.code === 'ERR_UNHANDLED_ERROR' && e.context !== undefined && e.context !== err)
    return isStreamError(e.context);
  if (typeof e.code === 'string' && STREAM_ERROR_CODES.has(e.code)) return true;
  return (
    typeof e.message === 'string' &&
    BUSBOY_MESSAGES.test(e.message) &&
    typeof e.stack === 'string' &&
    BUSBOY_FRAME.test(e.stack)
  );
}

/**
 * Installs the handler on `proc` (the process). An unhandled rejection reaches it too: with an
 * 'uncaughtException' listener, Node's default `--unhandled-rejections=throw` raises it there.
 */
export function installProcessGuard(
  log: GuardLogger,
  proc: Pick<NodeJS.Process, 'on' | 'exit'> = process,
): void {
  proc.on('uncaughtException', (err: unknown, origin: string) => {
    if (isStreamError(err)) {
      log.error(
        { err, origin },
        'A stream error had no listener: its request was abandoned and the service carries on (fix the missing listener)',
      );
      return;
    }
    log.fatal({ err, origin }, 'Uncaught exception: the process state is unknown, exiting');
    proc.exit(1);
  });
}
