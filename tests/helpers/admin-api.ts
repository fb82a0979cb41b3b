/** One admin API answer: status, JSON body ({} when empty) and headers. */
export interface AdminAnswer {
  status: number;
  body: Record<string, unknown>;
  headers: Headers;
}

export interface AdminCall {
  method?: string;
  /** Sent as JSON. */
  body?: unknown;
  headers?: Record<string, string>;
}

/** Calls `/admin/api<path>` of the service at `base()` with a bearer token (none when absent). */
export function adminApi(base: () => string) {
  return async (path: string, token?: string, init: AdminCall = {}): Promise<AdminAnswer> => {
    const response = await fetch(`${base()}/admin/api${path}`, {
      method: init.method ?? 'GET',
      headers: { ...(token ? { authorization: `Bearer ${token}` } : {}), ...(init.body !== undefined ? { 'content-type': 'application/json' } : {}), ...init.headers },
      ...(init.body !== undefined ? { body: JSON.stringify(init.body) } : {}),
    });
    const text = await response.text();
    return { status: response.status, body: text ? (JSON.parse(text) as Record<string, unknown>) : {}, headers: response.headers };
  };
}
