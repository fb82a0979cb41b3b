/**
 * A business rule refused the request. `code` names a locale key suffix the flows can
 * show the resident; `params` fill it. Not a crash: callers turn it into a reply.
 */
export class DomainRuleError extends Error {
  constructor(
    readonly code: string,
    readonly params: Record<string, string | number> = {},
    options?: { cause?: unknown },
  ) {
    super(`Domain rule refused: ${code}`, options);
    this.name = 'DomainRuleError';
  }
}

/** A session was saved by someone else between our load and our save. */
export class SessionConflictError extends Error {
  constructor(readonly sessionKey: string) {
    super('Session changed by another process');
    this.name = 'SessionConflictError';
  }
}
