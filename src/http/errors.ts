import type { ErrorRequestHandler, RequestHandler } from 'express';
import type { Logger } from '../logger.js';

/** An error whose message is safe to show to the caller, with an HTTP status. */
export class HttpError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    options?: ErrorOptions,
  ) {
    super(message, options);
    this.name = 'HttpError';
  }
}

export const notFound: RequestHandler = (_req, res) => {
  res.status(404).json({ error: { code: 'not_found', message: 'Not found' } });
};

/** Body-parser refusals (by its error `type`) and how each is answered. */
const BODY_REFUSALS: Record<string, { status: number; code: string; message: string }> = {
  'charset.unsupported': { status: 415, code: 'unsupported_charset', message: 'Request body charset is not supported' },
  'encoding.unsupported': { status: 415, code: 'unsupported_encoding', message: 'Request content-encoding is not supported' },
  'encoding.broken': { status: 400, code: 'invalid_encoding', message: 'Request body does not match its content-encoding' },
  'request.size.invalid': { status: 400, code: 'invalid_length', message: 'Request body does not match its content-length' },
  'request.aborted': { status: 400, code: 'request_aborted', message: 'Request was aborted' },
  'parameters.too.many': { status: 413, code: 'too_many_parameters', message: 'Request has too many parameters' },
};

/** zlib's errors for a gzip/deflate/br body that does not inflate. */
function isInflateError(error: unknown): boolean {
  const code = (error as { code?: unknown }).code;
  return typeof code === 'string' && code.startsWith('Z_');
}

/**
 * The one error handler: callers see a status and a short message, never a stack;
 * the detail goes to the log.
 */
export function createErrorHandler(logger: Logger): ErrorRequestHandler {
  return (error, req, res, _next) => {
    const bodyError = error as { type?: string; status?: number };
    if (error instanceof HttpError) {
      res.status(error.status).json({ error: { code: error.code, message: error.message } });
      return;
    }
    if (bodyError.type === 'entity.too.large') {
      res.status(413).json({ error: { code: 'payload_too_large', message: 'Request body is too large' } });
      return;
    }
    if (bodyError.type === 'entity.parse.failed') {
      res.status(400).json({ error: { code: 'invalid_json', message: 'Request body is not valid JSON' } });
      return;
    }
    const refusal = BODY_REFUSALS[bodyError.type ?? ''] ?? (isInflateError(error) ? BODY_REFUSALS['encoding.broken'] : undefined);
    if (refusal) {
      // A sender's mistake (or a probe), not ours: one warn line, never a stack to the caller.
      logger.warn({ method: req.method, path: req.path, reason: bodyError.type ?? (error as Error).message }, 'request body refused');
      res.status(refusal.status).json({ error: { code: refusal.code, message: refusal.message } });
      return;
    }
    logger.error({ err: error, method: req.method, path: req.path }, 'request failed');
    if (res.headersSent) return;
    res.status(500).json({ error: { code: 'internal', message: 'Something went wrong' } });
  };
}
