import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, beforeEach, describe, expect, test } from '@jest/globals';
import { createSmsGatewaySender } from '../../../src/channels/sms-gateway/sms-gateway-sender.js';
import { SendError, type OutboundMessage } from '../../../src/channels/types.js';
import { silentLogger } from '../../../src/logger.js';

interface RecordedRequest {
  method: string;
  url: string;
  headers: IncomingMessage['headers'];
  body: unknown;
}

type Reply = { status: number; body: unknown };

/** Stands in for the gateway's 3rd-party API (Cloud/Private server or the phone's Local server). */
class FakeGatewayApi {
  requests: RecordedRequest[] = [];
  reply: (request: RecordedRequest) => Reply = (request) => acceptedState(request);
  private server!: Server;
  baseUrl = '';

  async start(): Promise<void> {
    this.server = createServer((req, res) => void this.respond(req, res));
    await new Promise<void>((resolve) => this.server.listen(0, '127.0.0.1', () => resolve()));
    this.baseUrl = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}/3rdparty/v1`;
  }

  async stop(): Promise<void> {
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  private async respond(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const text = Buffer.concat(chunks).toString('utf8');
    const request: RecordedRequest = { method: req.method ?? '', url: req.url ?? '', headers: req.headers, body: text ? JSON.parse(text) : undefined };
    this.requests.push(request);
    const { status, body } = this.reply(request);
    res.writeHead(status, { 'content-type': 'application/json' });
    res.end(JSON.stringify(body));
  }
}

/** What the server answers to POST /message: 202 with the message state. */
function acceptedState(request: RecordedRequest, id?: string): Reply {
  const body = request.body as { id?: string; phoneNumbers: string[] };
  return {
    status: 202,
    body: {
      id: id ?? body.id ?? 'PyDmBQZZXYmyxMwED8Fzy',
      deviceId: 'PyDmBQZZXYmyxMwED8Fzy',
      state: 'Pending',
      isHashed: false,
      isEncrypted: false,
      recipients: body.phoneNumbers.map((phoneNumber) => ({ phoneNumber, state: 'Pending' })),
      states: { Pending: '2025-03-01T03:00:00Z' },
    },
  };
}

const COOP_ID = '65f000000000000000000001';

function outbound(overrides: Partial<OutboundMessage> = {}): OutboundMessage {
  return {
    id: '65f0000000000000000000aa',
    coopId: COOP_ID,
    channel: 'sms',
    provider: 'sms-gateway',
    to: '+6281234567890',
    text: 'Pesanan #1001 diterima. Total Rp98.900',
    ...overrides,
  };
}

function basicAuth(login: string, password: string): string {
  return `Basic ${Buffer.from(`${login}:${password}`).toString('base64')}`;
}

async function sendError(promise: Promise<unknown>): Promise<SendError> {
  const error = await promise.then(
    () => undefined,
    (reason: unknown) => reason,
  );
  expect(error).toBeInstanceOf(SendError);
  return error as SendError;
}

describe('SMS gateway sender (real android-sms-gateway client against a local stand-in API)', () => {
  const api = new FakeGatewayApi();
  let credentials: { login: string; password: string };

  beforeAll(async () => {
    await api.start();
  });

  afterAll(async () => {
    await api.stop();
  });

  beforeEach(() => {
    api.requests = [];
    api.reply = (request) => acceptedState(request);
    credentials = { login: 'KDMPSUKA', password: 'rahasia-123' };
  });

  function sender(options: { ttlSeconds?: number } = {}) {
    return createSmsGatewaySender({
      gatewayFor: async (coopId) => (coopId === COOP_ID ? { baseUrl: api.baseUrl, ...credentials } : undefined),
      logger: silentLogger,
      ...options,
    });
  }

  test('posts the message with the outbox id as its id, with basic auth, and reports it queued', async () => {
    const result = await sender().send(outbound());
    expect(result).toEqual({ providerMessageId: '65f0000000000000000000aa', status: 'queued' });
    expect(api.requests).toHaveLength(1);
    const [request] = api.requests;
    expect(request.method).toBe('POST');
    expect(request.url).toBe('/3rdparty/v1/message');
    expect(request.headers.authorization).toBe(basicAuth('KDMPSUKA', 'rahasia-123'));
    expect(request.headers['content-type']).toBe('application/json');
    expect(request.body).toEqual({
      id: '65f0000000000000000000aa',
      message: 'Pesanan #1001 diterima. Total Rp98.900',
      phoneNumbers: ['+6281234567890'],
      withDeliveryReport: true,
    });
  });

  test('a ttl is passed on when configured', async () => {
    await sender({ ttlSeconds: 3600 }).send(outbound());
    expect(api.requests[0].body).toMatchObject({ ttl: 3600 });
  });

  test('uses the id the gateway returns if it differs from ours', async () => {
    api.reply = (request) => acceptedState(request, 'Ey6ECgOkVVFjz3CL48B8C');
    const result = await sender().send(outbound());
    expect(result).toEqual({ providerMessageId: 'Ey6ECgOkVVFjz3CL48B8C', status: 'queued' });
  });

  test('a 409 for our id means an earlier attempt got through: queued, not an error', async () => {
    api.reply = () => ({ status: 409, body: { message: 'message with such ID already exists' } });
    const result = await sender().send(outbound());
    expect(result).toEqual({ providerMessageId: '65f0000000000000000000aa', status: 'queued' });
  });

  test('changed credentials take effect on the next send (one client per coop config)', async () => {
    const smsSender = sender();
    await smsSender.send(outbound());
    credentials = { login: 'KDMPSUKA', password: 'sandi-baru-456' };
    await smsSender.send(outbound({ id: '65f0000000000000000000ab' }));
    expect(api.requests.map((request) => request.headers.authorization)).toEqual([
      basicAuth('KDMPSUKA', 'rahasia-123'),
      basicAuth('KDMPSUKA', 'sandi-baru-456'),
    ]);
  });

  test('a coop without a gateway is a permanent failure', async () => {
    const error = await sendError(sender().send(outbound({ coopId: '65f000000000000000000999' })));
    expect(error.permanent).toBe(true);
    expect(error.message).toBe('no SMS gateway configured');
    expect(api.requests).toHaveLength(0);
  });

  test.each([
    [400, true],
    // Wrong settings (password, URL): kept for retry until someone fixes them.
    [401, false],
    [403, false],
    [404, false],
    [429, false],
    [500, false],
    [503, false],
  ])('HTTP %i maps to permanent=%s', async (status, permanent) => {
    api.reply = () => ({ status, body: { message: 'nope' } });
    const error = await sendError(sender().send(outbound()));
    expect(error.permanent).toBe(permanent);
    expect(error.code).toBe(String(status));
  });

  test('a phone number quoted in the gateway error is masked in the SendError', async () => {
    api.reply = () => ({ status: 400, body: { message: 'invalid phone number +6281234567890' } });
    const error = await sendError(sender().send(outbound()));
    expect(error.message).toContain('+62812****7890');
    expect(error.message).not.toContain('6281234567890');
  });

  test('connection refused is transient', async () => {
    const closed = new FakeGatewayApi();
    await closed.start();
    await closed.stop();
    const error = await sendError(
      createSmsGatewaySender({
        gatewayFor: async () => ({ baseUrl: closed.baseUrl, login: 'KDMPSUKA', password: 'rahasia-123' }),
        logger: silentLogger,
      }).send(outbound()),
    );
    expect(error.permanent).toBe(false);
    expect(error.code).toBe('ECONNREFUSED');
  });

  test('the sender names its provider', () => {
    expect(sender().provider).toBe('sms-gateway');
  });
});
