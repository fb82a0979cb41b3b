import twilio from 'twilio';
import type RequestClient from 'twilio/lib/base/RequestClient.js';

/**
 * Twilio's own HTTP client, sending every request to another origin (scheme, host, port) than the one the
 * SDK built the URL for (path and query kept). Twilio's `edge`/`region` options only
 * rename hosts under twilio.com, so this is how the SDK reaches a stand-in API (tests,
 * a local mock) or an egress proxy.
 */
export class RebasedRequestClient extends twilio.RequestClient {
  private readonly apiBase: URL;

  constructor(apiBaseUrl: string, options?: RequestClient.RequestClientOptions) {
    super(options);
    this.apiBase = new URL(apiBaseUrl);
  }

  override request<TData>(opts: RequestClient.RequestOptions<TData>) {
    const target = new URL(opts.uri);
    target.protocol = this.apiBase.protocol;
    target.host = this.apiBase.host;
    return super.request<TData>({ ...opts, uri: target.href });
  }
}
