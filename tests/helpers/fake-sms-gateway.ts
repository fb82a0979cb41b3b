import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * How the fake phone answers POST /message:
 * - 'accept': 202 with the message state, or 409 for an id it already accepted (as the real
 *   gateway refuses a duplicate id);
 * - 'unavailable': 503 to everything (the phone is offline);
 * - 'hold': takes the message (it counts as accepted) but never answers, like a send whose
 *   answer is lost when the sender dies.
 */
export type GatewayMode = 'accept' | 'unavailable' | 'hold';

export interface GatewayRequest {
  /** The message id the sender chose (the outbox id), if any. */
  id?: string;
  message?: string;
  phoneNumbers?: string[];
  authorization?: string;
  path: string;
  /** What the fake answered: an HTTP status, or 'held'. */
  answer: number | 'held';
  at: number;
}

export interface FakeSmsGateway {
  /** The API base URL to put in SMS_GATEWAY_URL. */
  baseUrl: string;
  requests: GatewayRequest[];
  /** Ids the phone took (first time, answered 202 or held): each is one SMS to a resident. */
  accepted: Map<string, GatewayRequest>;
  setMode(mode: GatewayMode): void;
  /** Requests carrying this id, in arrival order. */
  requestsFor(id: string): GatewayRequest[];
  close(): Promise<void>;
}

const API_PATH = '/3rdparty/v1';

/** A local stand-in for "SMS Gateway for Android" (its Cloud/Local server API), on 127.0.0.1. */
export async function startFakeSmsGateway(initialMode: GatewayMode = 'accept'): Promise<FakeSmsGateway> {
  let mode = initialMode;
  const requests: GatewayRequest[] = [];
  const accepted = new Map<string, GatewayRequest>();
  const held = new Set<ServerResponse>();

  const server: Server = createServer((req, res) => {
    void readBody(req).then((raw) => {
      const path = req.url ?? '';
      if (req.method !== 'POST' || !path.startsWith(`${API_PATH}/message`)) {
        res.writeHead(404, { 'content-type': 'application/json' }).end(JSON.stringify({ message: 'not found' }));
        return;
      }
      let body: { id?: unknown; message?: unknown; textMessage?: { text?: unknown }; phoneNumbers?: unknown } = {};
      try {
        body = JSON.parse(raw) as typeof body;
      } catch {
        res.writeHead(400).end();
        return;
      }
      const request: GatewayRequest = {
        ...(typeof body.id === 'string' ? { id: body.id } : {}),
        ...(typeof body.message === 'string' ? { message: body.message } : typeof body.textMessage?.text === 'string' ? { message: body.textMessage.text } : {}),
        ...(Array.isArray(body.phoneNumbers) ? { phoneNumbers: body.phoneNumbers.map(String) } : {}),
        ...(req.headers.authorization ? { authorization: req.headers.authorization } : {}),
        path,
        answer: 0,
        at: Date.now(),
      };
      requests.push(request);
      if (mode === 'unavailable') {
        request.answer = 503;
        res.writeHead(503, { 'content-type': 'application/json' }).end(JSON.stringify({ message: 'device offline' }));
        return;
      }
      if (request.id && accepted.has(request.id)) {
        request.answer = 409;
        res.writeHead(409, { 'content-type': 'application/json' }).end(JSON.stringify({ message: 'Message with the same ID already exists' }));
        return;
      }
      const id = request.id ?? `gw-${requests.length}`;
      accepted.set(id, request);
      if (mode === 'hold') {
        request.answer = 'held';
        held.add(res);
        res.on('close', () => held.delete(res));
        return;
      }
      request.answer = 202;
      const state = { id, state: 'Pending', recipients: (request.phoneNumbers ?? []).map((phoneNumber) => ({ phoneNumber, state: 'Pending' })) };
      res.writeHead(202, { 'content-type': 'application/json' }).end(JSON.stringify(state));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;

  return {
    baseUrl: `http://127.0.0.1:${port}${API_PATH}`,
    requests,
    accepted,
    setMode: (next) => (mode = next),
    requestsFor: (id) => requests.filter((request) => request.id === id),
    async close() {
      for (const res of held) res.destroy();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    let raw = '';
    req.setEncoding('utf8');
    req.on('data', (chunk: string) => (raw += chunk));
    req.on('end', () => resolve(raw));
    req.on('error', reject);
  });
}
