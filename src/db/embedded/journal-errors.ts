/** Context attached to journal errors for the logs (file names, offsets). */
export type JournalErrorContext = Record<string, unknown>;

/** A journal operation failed; `context` says where. */
export class JournalError extends Error {
  override name = 'JournalError';
  readonly context: JournalErrorContext;

  constructor(message: string, context: JournalErrorContext = {}, options?: { cause?: unknown }) {
    super(message, options);
    this.context = context;
  }
}

/**
 * The files on disk cannot be recovered without losing data that was written after the
 * damage. Raised instead of silently dropping records; a human must look at the files.
 */
export class JournalCorruptionError extends JournalError {
  override name = 'JournalCorruptionError';
}
