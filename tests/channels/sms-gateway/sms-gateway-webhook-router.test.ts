import { createHmac } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import type { Server } from 'node:http';
import { Writable } from 'node:stream';
import { afterAll, beforeAll, beforeEach, describe, expect, jest, test } from '@jest/globals';
import express from 'express';
import { createSmsGatewayWebhookRouter } from '../../../src/channels/sms-gateway/sms-gateway-webhook-router.js';
import type { DeliveryStatusUpdate, HandledMessage, InboundMessage } from '../../../src/channels/types.js';
import { createErrorHandler, notFound } from '../../../src/http/errors.js';
import { createLogger, silentLogger } from '../../../src/logger.js';

const NOW = new Date('2025-03-01T03:00:00.000Z');
const NOW_SECONDS = Math.floor(NOW.getTime() / 1000);
const SIGNING_KEY = 'kunci-rahasia-koperasi-sukamaju';
const COOP_ID = '65f000000000000000000001';

/** Signs exactly as the app does: hex HMAC-SHA256 over (body text + timestamp text), UTF-8. */
function signLikeTheApp(body: string, timestamp: string, key = SIGNING_KEY): string {
  return createHmac('sha256', key).update(body + timestamp).digest('hex');
}

function receivedEvent(overrides: { id?: string; phoneNumber?: string; message?: string } = {}) {
  return {
    deviceId: 'ffffffffceb0b1db0000018e937c815b',
    event: 'sms:received',
    id: overrides.id ?? 'Ey6ECgOkVVFjz3CL48B8C',
    payload: {
      messageId: 'abc123',
      message: overrides.message ?? 'kak mau pesen beras 5kg sm migor 2 liter ya 🙏',
      phoneNumber: overrides.phoneNumber ?? '081234567890',
      simNumber: 1,
      receivedAt: '2025-03-01T09:59:30.000+07:00',
    },
    webhookId: 'LreFUt-Z3sSq0JufY9uWB',
  };
}

function statusEvent(event: string, payload: Record<string, unknown>) {
  return { deviceId: 'ffffffffceb0b1db0000018e937c815b', event, id: `evt-${event}`, payload, webhookId: 'wh-1' };
}

describe('SMS Gateway for Android webhooks', () => {
  let server: Server;
  let base: string;
  let handled: InboundMessage[];
  let statuses: DeliveryStatusUpdate[];
  let handle: jest.Mock<(message: InboundMessage) => Promise<HandledMessage>>;
  let recordStatus: jest.Mock<(update: DeliveryStatusUpdate) => Promise<void>>;
  let resolveGateway: jest.Mock<(slug: string) => Promise<{ coopId: string; signingKey: string } | undefined>>;
  const logLines: string[] = [];

  beforeAll(async () => {
    const sink = new Writable({
      write(chunk, _encoding, done) {
        logLines.push(String(chunk));
        done();
      },
    });
    const logger = createLogger({ level: 'debug', pretty: false }, sink);
    handle = jest.fn<(message: InboundMessage) => Promise<HandledMessage>>();
    recordStatus = jest.fn<(update: DeliveryStatusUpdate) => Promise<void>>();
    resolveGateway = jest.fn<(slug: string) => Promise<{ coopId: string; signingKey: string } | undefined>>();
    const app = express();
    // Mounted the way main.ts must: before the app-wide JSON parser.
    app.use(createSmsGatewayWebhookRouter({ resolveGateway, handle, recordStatus, logger, clock: () => NOW }));
    app.use(express.json());
    app.use(notFound);
    app.use(createErrorHandler(silentLogger));
    server = await listen(app);
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });

  afterAll(async () => {
    await new Promise<void>((resolve) => server.close(() => resolve()));
  });

  beforeEach(() => {
    handled = [];
    statuses = [];
    logLines.length = 0;
    handle.mockReset();
    handle.mockImplementation(async (message) => {
      handled.push(message);
      return { processed: true, replies: [{ outboxId: '65f0000000000000000000aa', text: 'Keranjang: ...' }] };
    });
    recordStatus.mockReset();
    recordStatus.mockImplementation(async (update) => {
      statuses.push(update);
    });
    resolveGateway.mockReset();
    resolveGateway.mockImplementation(async (slug) => (slug === 'kdmp-sukamaju' ? { coopId: COOP_ID, signingKey: SIGNING_KEY } : undefined));
  });

  async function post(
    body: string,
    options: { timestamp?: string | null; signature?: string | null; slug?: string; contentType?: string } = {},
  ): Promise<Response> {
    const timestamp = options.timestamp === undefined ? String(NOW_SECONDS) : options.timestamp;
    const signature = options.signature === undefined ? signLikeTheApp(body, timestamp ?? '') : options.signature;
    const headers: Record<string, string> = { 'content-type': options.contentType ?? 'application/json; charset=UTF-8' };
    if (timestamp !== null) headers['x-timestamp'] = timestamp;
    if (signature !== null) headers['x-signature'] = signature;
    return fetch(`${base}/webhooks/sms-gateway/${options.slug ?? 'kdmp-sukamaju'}`, { method: 'POST', headers, body });
  }

  test('a signed sms:received reaches the handler with the event id and the sender in E.164', async () => {
    const response = await post(JSON.stringify(receivedEvent()));
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ ok: true, outcome: 'processed' });
    expect(resolveGateway).toHaveBeenCalledWith('kdmp-sukamaju');
    expect(handled).toEqual([
      {
        channel: 'sms',
        provider: 'sms-gateway',
        coopId: COOP_ID,
        from: '+6281234567890',
        providerMessageId: 'Ey6ECgOkVVFjz3CL48B8C',
        text: 'kak mau pesen beras 5kg sm migor 2 liter ya 🙏',
        receivedAt: new Date('2025-03-01T02:59:30.000Z'),
      },
    ]);
  });

  test.each([
    ['+6281234567890', '+6281234567890'],
    ['6281234567890', '+6281234567890'],
    ['0812-3456-7890', '+6281234567890'],
  ])('sender %s is normalised to %s', async (phoneNumber, e164) => {
    const response = await post(JSON.stringify(receivedEvent({ phoneNumber })));
    expect(response.status).toBe(200);
    expect(handled.map((message) => message.from)).toEqual([e164]);
  });

  test('the signature is checked over the raw bytes, not re-serialised JSON', async () => {
    // The app's JSON escapes '=' as \u003d; JSON.stringify of the parsed body would not.
    const body = JSON.stringify(receivedEvent({ message: 'saldo=?' })).replace('saldo=?', 'saldo\\u003d?');
    expect(body).toContain('\\u003d');
    const response = await post(body);
    expect(response.status).toBe(200);
    expect(handled.map((message) => message.text)).toEqual(['saldo=?']);
  });

  test('a redelivery the handler already had is answered 200 as a duplicate', async () => {
    handle.mockImplementation(async () => ({ processed: false, replies: [] }));
    const response = await post(JSON.stringify(receivedEvent()));
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ ok: true, outcome: 'duplicate' });
  });

  test('a signature made with another key is refused with 401', async () => {
    const body = JSON.stringify(receivedEvent());
    const response = await post(body, { signature: signLikeTheApp(body, String(NOW_SECONDS), 'kunci-koperasi-lain') });
    expect(response.status).toBe(401);
    expect(handle).not.toHaveBeenCalled();
  });

  test('a body changed after signing is refused with 401', async () => {
    const body = JSON.stringify(receivedEvent());
    const signature = signLikeTheApp(body, String(NOW_SECONDS));
    const response = await post(body.replace('beras 5kg', 'beras 50kg'), { signature });
    expect(response.status).toBe(401);
    expect(handle).not.toHaveBeenCalled();
  });

  test('a signature that is not 64 hex characters is refused with 401', async () => {
    const body = JSON.stringify(receivedEvent());
    const truncated = signLikeTheApp(body, String(NOW_SECONDS)).slice(0, 40);
    const response = await post(body, { signature: truncated });
    expect(response.status).toBe(401);
    expect(handle).not.toHaveBeenCalled();
  });

  test.each([
    ['no X-Signature', { signature: null }],
    ['no X-Timestamp', { timestamp: null }],
    ['neither header', { signature: null, timestamp: null }],
  ] as const)('an unsigned request (%s) is refused with 401', async (_label, headers) => {
    const response = await post(JSON.stringify(receivedEvent()), headers);
    expect(response.status).toBe(401);
    expect(((await response.json()) as { error: { code: string } }).error.code).toBe('missing_signature');
    expect(handle).not.toHaveBeenCalled();
  });

  test.each([
    ['six minutes old', NOW_SECONDS - 6 * 60],
    ['six minutes in the future', NOW_SECONDS + 6 * 60],
  ])('a correctly signed request %s is refused with 401', async (_label, seconds) => {
    const response = await post(JSON.stringify(receivedEvent()), { timestamp: String(seconds) });
    expect(response.status).toBe(401);
    expect(((await response.json()) as { error: { code: string } }).error.code).toBe('stale_timestamp');
    expect(handle).not.toHaveBeenCalled();
  });

  test('a request four minutes old is still inside the window', async () => {
    const response = await post(JSON.stringify(receivedEvent()), { timestamp: String(NOW_SECONDS - 4 * 60) });
    expect(response.status).toBe(200);
    expect(handle).toHaveBeenCalledTimes(1);
  });

  test('a timestamp in milliseconds is refused with 401', async () => {
    const response = await post(JSON.stringify(receivedEvent()), { timestamp: String(NOW.getTime()) });
    expect(response.status).toBe(401);
  });

  test('malformed JSON with a valid signature is answered 400', async () => {
    const response = await post('{"deviceId": "ffff", "event": "sms:received", ');
    expect(response.status).toBe(400);
    expect(((await response.json()) as { error: { code: string } }).error.code).toBe('invalid_json');
    expect(handle).not.toHaveBeenCalled();
  });

  test('an event without its id is answered 400 (it could not be deduplicated)', async () => {
    const { id: _id, ...withoutId } = receivedEvent();
    const response = await post(JSON.stringify(withoutId));
    expect(response.status).toBe(400);
    expect(handle).not.toHaveBeenCalled();
  });

  test('an sms:received without a sender is answered 400', async () => {
    const event = receivedEvent();
    const response = await post(JSON.stringify({ ...event, payload: { ...event.payload, phoneNumber: undefined } }));
    expect(response.status).toBe(400);
    expect(((await response.json()) as { error: { message: string } }).error.message).toContain('payload.phoneNumber');
  });

  test('a body that is not application/json is answered 415', async () => {
    const response = await post(JSON.stringify(receivedEvent()), { contentType: 'text/plain' });
    expect(response.status).toBe(415);
    expect(handle).not.toHaveBeenCalled();
  });

  test('an unknown cooperative slug is answered 404 and logged', async () => {
    const response = await post(JSON.stringify(receivedEvent()), { slug: 'kdmp-tidak-ada' });
    expect(response.status).toBe(404);
    expect(resolveGateway).toHaveBeenCalledWith('kdmp-tidak-ada');
    expect(handle).not.toHaveBeenCalled();
    expect(logLines.join('')).toContain('unknown cooperative');
  });

  test('when the handler throws the phone gets a 500 without a stack, so it retries', async () => {
    handle.mockImplementation(async () => {
      throw new Error('database unavailable at MongoServerSelectionError');
    });
    const response = await post(JSON.stringify(receivedEvent()));
    expect(response.status).toBe(500);
    const text = await response.text();
    expect(JSON.parse(text)).toEqual({ error: { code: 'handler_failed', message: expect.any(String) } });
    expect(text).not.toContain('database unavailable');
    expect(text).not.toMatch(/\bat .*\.ts:\d+/);
  });

  test('a sender that is not a phone number is ignored with 200 and a masked warning', async () => {
    const response = await post(JSON.stringify(receivedEvent({ phoneNumber: '6505551212' })));
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ ok: true, outcome: 'ignored' });
    expect(handle).not.toHaveBeenCalled();
    const logs = logLines.join('');
    expect(logs).toContain('not a phone number');
    expect(logs).toContain('650555****1212');
    expect(logs).not.toContain('6505551212');
  });

  test('logs never hold the full sender number or the message text above debug', async () => {
    await post(JSON.stringify(receivedEvent()));
    const aboveDebug = logLines.map((line) => JSON.parse(line) as { level: number }).filter((entry) => entry.level > 20);
    expect(aboveDebug.length).toBeGreaterThan(0);
    const text = JSON.stringify(aboveDebug);
    expect(text).not.toContain('81234567890');
    expect(text).not.toContain('beras');
  });

  test.each([
    [
      'sms:sent',
      { messageId: '65f0000000000000000000aa', phoneNumber: '+6281234567890', simNumber: null, partsCount: 1, sentAt: '2025-03-01T10:00:01.000+07:00' },
      { provider: 'sms-gateway', providerMessageId: '65f0000000000000000000aa', status: 'sent', at: new Date('2025-03-01T03:00:01.000Z') },
    ],
    [
      'sms:delivered',
      { messageId: '65f0000000000000000000aa', phoneNumber: '+6281234567890', simNumber: 1, deliveredAt: '2025-03-01T10:00:05.000+07:00' },
      { provider: 'sms-gateway', providerMessageId: '65f0000000000000000000aa', status: 'delivered', at: new Date('2025-03-01T03:00:05.000Z') },
    ],
    [
      'sms:failed',
      { messageId: '65f0000000000000000000ab', phoneNumber: '+6281234567890', failedAt: '2025-03-01T10:00:09.000+07:00', reason: 'RESULT_ERROR_GENERIC_FAILURE' },
      {
        provider: 'sms-gateway',
        providerMessageId: '65f0000000000000000000ab',
        status: 'failed',
        errorCode: 'RESULT_ERROR_GENERIC_FAILURE',
        at: new Date('2025-03-01T03:00:09.000Z'),
      },
    ],
  ])('%s is recorded as a delivery status', async (event, payload, expected) => {
    const response = await post(JSON.stringify(statusEvent(event, payload)));
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ ok: true, outcome: 'recorded' });
    expect(statuses).toEqual([expected]);
    expect(handle).not.toHaveBeenCalled();
  });

  test('a status without a readable time is stamped with our clock', async () => {
    const response = await post(JSON.stringify(statusEvent('sms:delivered', { messageId: 'm-1', deliveredAt: 'kemarin' })));
    expect(response.status).toBe(200);
    expect(statuses).toEqual([{ provider: 'sms-gateway', providerMessageId: 'm-1', status: 'delivered', at: NOW }]);
  });

  test('when recording a status fails the phone gets a 500 and retries', async () => {
    recordStatus.mockImplementation(async () => {
      throw new Error('outbox write failed');
    });
    const response = await post(JSON.stringify(statusEvent('sms:sent', { messageId: 'm-1', sentAt: '2025-03-01T10:00:01.000+07:00' })));
    expect(response.status).toBe(500);
    expect(await response.text()).not.toContain('outbox write failed');
  });

  test.each(['system:ping', 'sms:data-received', 'mms:received'])('%s is acknowledged and ignored', async (event) => {
    const response = await post(JSON.stringify(statusEvent(event, { health: { status: 'pass' } })));
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ ok: true, outcome: 'ignored' });
    expect(handle).not.toHaveBeenCalled();
    expect(recordStatus).not.toHaveBeenCalled();
  });
});

describe('SMS gateway webhook router mounted after express.json()', () => {
  test('refuses with 500 (the phone keeps retrying) instead of verifying re-serialised JSON', async () => {
    const handle = jest.fn<(message: InboundMessage) => Promise<HandledMessage>>();
    const app = express();
    app.use(express.json());
    app.use(
      createSmsGatewayWebhookRouter({
        resolveGateway: async () => ({ coopId: COOP_ID, signingKey: SIGNING_KEY }),
        handle,
        recordStatus: async () => {},
        logger: silentLogger,
        clock: () => NOW,
      }),
    );
    app.use(createErrorHandler(silentLogger));
    const server = await listen(app);
    try {
      const body = JSON.stringify(receivedEvent());
      const timestamp = String(NOW_SECONDS);
      const response = await fetch(`http://127.0.0.1:${(server.address() as AddressInfo).port}/webhooks/sms-gateway/kdmp-sukamaju`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'x-timestamp': timestamp, 'x-signature': signLikeTheApp(body, timestamp) },
        body,
      });
      expect(response.status).toBe(500);
      expect(((await response.json()) as { error: { code: string } }).error.code).toBe('misconfigured');
      expect(handle).not.toHaveBeenCalled();
    } finally {
      await new Promise<void>((resolve) => server.close(() => resolve()));
    }
  });
});

function listen(app: express.Express): Promise<Server> {
  return new Promise((resolve) => {
    const server = app.listen(0, '127.0.0.1', () => resolve(server));
  });
}
