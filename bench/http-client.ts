/**
 * The HTTP side of bench:http: runs one round of conversations against a port and returns
 * each message's latency. bench/http.ts runs it in a child process of its own by default
 * (forked with `--client-child`), so the service's event loop is measured without the
 * client's work on it, as it would be behind a real provider; `--client-process same` keeps
 * it in the bench's own process, as earlier figures were taken.
 */
import http from 'node:http';
import { performance } from 'node:perf_hooks';
import twilio from 'twilio';
import { TWILIO_MESSAGE_PATH } from '../src/channels/twilio/twilio-paths.js';

export type Client = 'http' | 'fetch';

/** One message of a round, form-encoded and signed before the round is timed. */
export interface PreparedMessage {
  phone: string;
  sid: string;
  text: string;
  body: string;
  signature: string;
}

export interface RoundRequest {
  label: string;
  port: number;
  client: Client;
  inFlight: number;
  conversations: PreparedMessage[][];
}

export interface RoundTiming {
  seconds: number;
  latencies: number[];
}

interface PostResponse {
  status: number;
  contentType: string | undefined;
  text: string;
}

interface Poster {
  post(message: PreparedMessage): Promise<PostResponse>;
  close(): void;
}

/** Plays the conversations, `inFlight` at a time, each one message after the other; the first bad answer fails the round. */
export async function runHttpRound(request: RoundRequest): Promise<RoundTiming> {
  const poster = request.client === 'http' ? createHttpPoster(request.port, request.inFlight) : createFetchPoster(request.port);
  try {
    return await playConversations(request.conversations, request.inFlight, async (message) => {
      const response = await poster.post(message);
      if (response.status !== 200 || !response.contentType?.startsWith('text/xml') || !response.text.includes('<Response>') || !response.text.includes('<Message>')) {
        throw new Error(`${request.label}: "${message.text}" from ${message.phone} was answered ${response.status} ${response.contentType}: ${response.text.slice(0, 200)}`);
      }
    });
  } finally {
    poster.close();
  }
}

/** `inFlight` conversations at a time, each message sent when the one before it was answered. */
export async function playConversations(conversations: PreparedMessage[][], inFlight: number, send: (message: PreparedMessage) => Promise<void>): Promise<RoundTiming> {
  const latencies: number[] = [];
  let next = 0;
  // The first failure stops every conversation of the round, so the error is reported at once.
  let failed = false;
  const began = performance.now();
  await Promise.all(
    Array.from({ length: Math.min(inFlight, conversations.length) }, async () => {
      while (next < conversations.length && !failed) {
        for (const message of conversations[next++]) {
          const sent = performance.now();
          try {
            await send(message);
          } catch (error) {
            failed = true;
            throw error;
          }
          latencies.push(performance.now() - sent);
        }
      }
    }),
  );
  return { seconds: (performance.now() - began) / 1000, latencies };
}

function createHttpPoster(port: number, sockets: number): Poster {
  const agent = new http.Agent({ keepAlive: true, maxSockets: sockets, noDelay: true });
  return {
    post: (message) =>
      new Promise((resolve, reject) => {
        const request = http.request(
          {
            agent,
            host: '127.0.0.1',
            port,
            method: 'POST',
            path: TWILIO_MESSAGE_PATH,
            headers: { 'content-type': 'application/x-www-form-urlencoded', 'content-length': Buffer.byteLength(message.body), [twilio.SIGNATURE_HEADER]: message.signature },
          },
          (response) => {
            const chunks: Buffer[] = [];
            response.on('data', (chunk: Buffer) => chunks.push(chunk));
            response.on('end', () => resolve({ status: response.statusCode ?? 0, contentType: response.headers['content-type'], text: Buffer.concat(chunks).toString('utf8') }));
            response.on('error', reject);
          },
        );
        request.on('error', reject);
        request.end(message.body);
      }),
    close: () => agent.destroy(),
  };
}

function createFetchPoster(port: number): Poster {
  const url = `http://127.0.0.1:${port}${TWILIO_MESSAGE_PATH}`;
  return {
    async post(message) {
      const response = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded', [twilio.SIGNATURE_HEADER]: message.signature }, body: message.body });
      return { status: response.status, contentType: response.headers.get('content-type') ?? undefined, text: await response.text() };
    },
    close() {},
  };
}

// Forked by bench/http.ts: one round per IPC message, answered with its timing or its error.
if (process.argv.includes('--client-child')) {
  process.on('message', (request: RoundRequest) => {
    runHttpRound(request).then(
      (timing) => process.send!({ timing }),
      (error: unknown) => process.send!({ error: error instanceof Error ? error.message : String(error) }),
    );
  });
}
