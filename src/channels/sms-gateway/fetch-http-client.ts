import type { HttpClient } from 'android-sms-gateway';
import { maskPhonesIn } from '../../logger.js';

/** The gateway answered with a non-2xx status. `detail` is the start of its body, phone numbers masked. */
export class GatewayHttpError extends Error {
  constructor(
    readonly status: number,
    readonly detail: string,
  ) {
    super(`SMS gateway answered HTTP ${status}${detail ? `: ${detail}` : ''}`);
    this.name = 'GatewayHttpError';
  }
}

/** The gateway could not be reached, timed out, or answered with something that is not JSON. */
export class GatewayNetworkError extends Error {
  constructor(
    message: string,
    readonly code: string,
    options?: ErrorOptions,
  ) {
    super(message, options);
    this.name = 'GatewayNetworkError';
  }
}

export interface FetchHttpClientOptions {
  /** Gives up on a request after this long; the outbox retries later. */
  timeoutMs: number;
}

type Method = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';

/**
 * The HttpClient the android-sms-gateway package asks for, on Node's global fetch. It throws
 * typed errors for non-2xx answers (the package itself never looks at status codes).
 */
export function createFetchHttpClient(options: FetchHttpClientOptions): HttpClient {
  async function request<T>(method: Method, url: string, headers: Record<string, string> | undefined, body?: unknown): Promise<T> {
    let response: Response;
    try {
      response = await fetch(url, {
        method,
        headers,
        body: body === undefined ? undefined : JSON.stringify(body),
        signal: AbortSignal.timeout(options.timeoutMs),
      });
    } catch (error) {
      throw toNetworkError(error);
    }
    let text: string;
    try {
      text = await response.text();
    } catch (error) {
      throw toNetworkError(error);
    }
    if (!response.ok) throw new GatewayHttpError(response.status, maskPhonesIn(text.slice(0, 300)).trim());
    if (text.trim() === '') return undefined as T;
    try {
      return JSON.parse(text) as T;
    } catch (error) {
      throw new GatewayNetworkError(`SMS gateway answered HTTP ${response.status} with a body that is not JSON`, 'INVALID_RESPONSE', { cause: error });
    }
  }

  return {
    get: (url, headers) => request('GET', url, headers),
    post: (url, body, headers) => request('POST', url, headers, body),
    put: (url, body, headers) => request('PUT', url, headers, body),
    patch: (url, body, headers) => request('PATCH', url, headers, body),
    delete: (url, headers) => request('DELETE', url, headers),
  };
}

function toNetworkError(error: unknown): GatewayNetworkError {
  const name = (error as { name?: string } | null)?.name;
  if (name === 'TimeoutError' || name === 'AbortError') {
    return new GatewayNetworkError('SMS gateway did not answer in time', 'TIMEOUT', { cause: error });
  }
  // undici reports the socket error (ECONNREFUSED, ENOTFOUND, ...) as the cause of "fetch failed".
  const cause = (error as { cause?: { code?: unknown } } | null)?.cause;
  const code = typeof cause?.code === 'string' ? cause.code : 'NETWORK';
  return new GatewayNetworkError(`SMS gateway unreachable (${code})`, code, { cause: error });
}
