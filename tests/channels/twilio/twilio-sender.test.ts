import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, beforeEach, describe, expect, test } from '@jest/globals';
import { silentLogger } from '../../../src/logger.js';
import { createTwilioSender } from '../../../src/channels/twilio/twilio-sender.js';
import { SendError, type ChannelSender, type OutboundMessage } from '../../../src/channels/types.js';

const ACCOUNT_SID = 'AC0123456789abcdef0123456789abcdef';
const AUTH_TOKEN = '12345678901234567890123456789012';
const COOP_NUMBER = '+15005550006';
const SITI = '+6281200000001';
const MESSAGE_SID = 'SM9876543210fedcba9876543210fedcba';

interface RecordedRequest {
  method: string;
  url: string;
  authorization: string | undefined;
  contentType: string | undefined;
  form: Record<string, string>;
}

interface CannedResponse {
  status: number;
  body: unknown;
  contentType?: string;
}

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

/** What api.twilio.com answers to a successful Messages create (trimmed to the usual fields). */
function twilioMessageJson(form: Record<string, string>): Record<string, unknown> {
  return {
    account_sid: ACCOUNT_SID,
    api_version: '2010-04-01',
    body: form.Body,
    date_created: 'Tue, 01 Jul 2025 03:04:05 +0000',
    date_sent: null,
    date_updated: 'Tue, 01 Jul 2025 03:04:05 +0000',
    direction: 'outbound-api',
    error_code: null,
    error_message: null,
    from: form.From,
    messaging_service_sid: null,
    num_media: '0',
    num_segments: '1',
    price: null,
    price_unit: 'USD',
    sid: MESSAGE_SID,
    status: 'queued',
    subresource_uris: { media: `/2010-04-01/Accounts/${ACCOUNT_SID}/Messages/${MESSAGE_SID}/Media.json` },
    to: form.To,
    uri: `/2010-04-01/Accounts/${ACCOUNT_SID}/Messages/${MESSAGE_SID}.json`,
  };
}

function outbound(overrides: Partial<OutboundMessage> = {}): OutboundMessage {
  return {
    id: '66a0000000000000000000aa',
    coopId: '66a000000000000000000001',
    channel: 'sms',
    provider: 'twilio',
    to: SITI,
    text: 'Pesanan #1001 sudah siap diambil',
    ...overrides,
  };
}

describe('Twilio sender against a stand-in for api.twilio.com', () => {
  let server: Server;
  let apiBase: string;
  let requests: RecordedRequest[];
  let answer: (form: Record<string, string>) => CannedResponse;
  let fromNumberCalls: OutboundMessage[];

  function makeSender(apiBaseUrl = apiBase): ChannelSender {
    return createTwilioSender({
      accountSid: ACCOUNT_SID,
      authToken: AUTH_TOKEN,
      publicBaseUrl: 'https://kdmp.example.id/',
      fromNumber: async (message) => {
        fromNumberCalls.push(message);
        return COOP_NUMBER;
      },
      logger: silentLogger,
      apiBaseUrl,
    });
  }

  async function sendExpectingError(message: OutboundMessage, sender = makeSender()): Promise<SendError> {
    const error = await sender.send(message).then(
      () => undefined,
      (reason: unknown) => reason,
    );
    expect(error).toBeInstanceOf(SendError);
    return error as SendError;
  }

  beforeAll(async () => {
    server = createServer((req, res) => {
      void readBody(req).then((raw) => {
        const form = Object.fromEntries(new URLSearchParams(raw));
        requests.push({
          method: req.method ?? '',
          url: req.url ?? '',
          authorization: req.headers.authorization,
          contentType: req.headers['content-type'],
          form,
        });
        const canned = answer(form);
        const payload = typeof canned.body === 'string' ? canned.body : JSON.stringify(canned.body);
        res.writeHead(canned.status, { 'content-type': canned.contentType ?? 'application/json' });
        res.end(payload);
      });
    });
    server.listen(0, '127.0.0.1');
    await new Promise<void>((resolve) => server.once('listening', () => resolve()));
    apiBase = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });

  afterAll(async () => {
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  });

  beforeEach(() => {
    requests = [];
    fromNumberCalls = [];
    answer = (form) => ({ status: 201, body: twilioMessageJson(form) });
  });

  test('an SMS is created through the Messages API with the coop number, a status callback and basic auth', async () => {
    const message = outbound();

    const result = await makeSender().send(message);

    expect(result).toEqual({ providerMessageId: MESSAGE_SID, status: 'queued' });
    expect(fromNumberCalls).toEqual([message]);
    expect(requests).toHaveLength(1);
    const [request] = requests;
    expect(request.method).toBe('POST');
    expect(request.url).toBe(`/2010-04-01/Accounts/${ACCOUNT_SID}/Messages.json`);
    expect(request.contentType).toBe('application/x-www-form-urlencoded');
    expect(request.authorization).toBe(`Basic ${Buffer.from(`${ACCOUNT_SID}:${AUTH_TOKEN}`).toString('base64')}`);
    expect(request.form).toEqual({
      From: COOP_NUMBER,
      To: SITI,
      Body: 'Pesanan #1001 sudah siap diambil',
      StatusCallback: 'https://kdmp.example.id/webhooks/twilio/status',
    });
  });

  test('a WhatsApp message carries the whatsapp: prefix on both numbers', async () => {
    const result = await makeSender().send(outbound({ channel: 'whatsapp', text: '*Pesanan #1001* siap 🎉' }));

    expect(result.providerMessageId).toBe(MESSAGE_SID);
    expect(requests.map((request) => request.form)).toEqual([
      {
        From: `whatsapp:${COOP_NUMBER}`,
        To: `whatsapp:${SITI}`,
        Body: '*Pesanan #1001* siap 🎉',
        StatusCallback: 'https://kdmp.example.id/webhooks/twilio/status',
      },
    ]);
  });

  test('a QR code goes as media fetched from the public address (WhatsApp only)', async () => {
    const qrCode = { data: '000201010212', publicPath: '/media/qr/0123456789abcdef0123456789abcdef.png' };
    await makeSender().send(outbound({ channel: 'whatsapp', text: 'Scan QRIS ini', qrCode }));
    await makeSender().send(outbound({ channel: 'sms', text: 'Bayar lewat QRIS', qrCode }));
    expect(requests[0].form.MediaUrl).toBe('https://kdmp.example.id/media/qr/0123456789abcdef0123456789abcdef.png');
    expect(requests[1].form.MediaUrl).toBeUndefined();
  });

  test.each([
    [21211, "The 'To' number +6281200000001 is not a valid phone number."],
    [21610, 'Attempt to send to unsubscribed recipient'],
    [21408, "Permission to send an SMS has not been enabled for the region indicated by the 'To' number: +6281200000001."],
  ])('Twilio error %i (HTTP 400) is permanent and keeps its code', async (code, twilioMessage) => {
    answer = () => ({ status: 400, body: { code, message: twilioMessage, more_info: `https://www.twilio.com/docs/errors/${code}`, status: 400 } });

    const error = await sendExpectingError(outbound());

    expect(error.permanent).toBe(true);
    expect(error.code).toBe(String(code));
    expect(error.message).not.toContain('6281200000001');
    expect(requests).toHaveLength(1);
  });

  test('63016 (WhatsApp outside the 24-hour window) is permanent with code 63016, so the outbox can fall back to SMS', async () => {
    answer = () => ({
      status: 400,
      body: {
        code: 63016,
        message: 'Failed to send freeform message because you are outside the allowed window.',
        more_info: 'https://www.twilio.com/docs/errors/63016',
        status: 400,
      },
    });

    const error = await sendExpectingError(outbound({ channel: 'whatsapp' }));

    expect(error).toMatchObject({ permanent: true, code: '63016' });
  });

  test('an RFC 9457 problem body (TwilioServiceException) is mapped by its code too', async () => {
    answer = () => ({
      status: 400,
      body: { type: 'https://www.twilio.com/docs/errors/21211', title: 'Invalid To number', status: 400, code: 21211, detail: 'not a valid phone number' },
      contentType: 'application/problem+json',
    });

    const error = await sendExpectingError(outbound());

    expect(error).toMatchObject({ permanent: true, code: '21211' });
  });

  test('HTTP 401 (credentials wrong or being rotated) is transient: fixing the configuration must not lose the reply', async () => {
    answer = () => ({ status: 401, body: { code: 20003, message: 'Authenticate', status: 401 } });

    const error = await sendExpectingError(outbound());

    expect(error).toMatchObject({ permanent: false, code: '20003' });
  });

  test('HTTP 500 is transient', async () => {
    answer = () => ({ status: 500, body: { code: 20500, message: 'Internal Server Error', status: 500 } });

    const error = await sendExpectingError(outbound());

    expect(error).toMatchObject({ permanent: false, code: '20500' });
  });

  test('a 503 with an HTML page instead of JSON is transient', async () => {
    answer = () => ({ status: 503, body: '<html><body>Service Unavailable</body></html>', contentType: 'text/html' });

    const error = await sendExpectingError(outbound());

    expect(error.permanent).toBe(false);
    expect(error.code).toBeUndefined();
  });

  test('HTTP 429 is transient and left to the outbox to retry (the SDK does not retry on its own)', async () => {
    answer = () => ({ status: 429, body: { code: 20429, message: 'Too Many Requests', status: 429 } });

    const error = await sendExpectingError(outbound());

    expect(error).toMatchObject({ permanent: false, code: '20429' });
    expect(requests).toHaveLength(1);
  });

  test('a refused connection is transient', async () => {
    const closed = createServer();
    closed.listen(0, '127.0.0.1');
    await new Promise<void>((resolve) => closed.once('listening', () => resolve()));
    const deadBase = `http://127.0.0.1:${(closed.address() as AddressInfo).port}`;
    await new Promise<void>((resolve) => closed.close(() => resolve()));

    const error = await sendExpectingError(outbound(), makeSender(deadBase));

    expect(error.permanent).toBe(false);
    expect(error.cause).toMatchObject({ code: 'ECONNREFUSED' });
  });
});
