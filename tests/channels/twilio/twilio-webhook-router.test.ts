import type { AddressInfo } from 'node:net';
import http, { type Server } from 'node:http';
import { Writable } from 'node:stream';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, jest, test } from '@jest/globals';
import express from 'express';
import twilio from 'twilio';
import { createLogger } from '../../../src/logger.js';
import { createTwilioWebhookRouter } from '../../../src/channels/twilio/twilio-webhook-router.js';
import type { ChannelName, DeliveryStatusUpdate, HandledMessage, InboundMessage } from '../../../src/channels/types.js';
import { waitFor } from '../../helpers/database.js';

const AUTH_TOKEN = '12345678901234567890123456789012';
/** What Twilio is configured with; deliberately not the address the test server listens on. */
const PUBLIC_BASE = 'https://kdmp.example.id';
const COOP_NUMBER = '+15005550006';
const SITI = '+6281200000001';
const COOP_ID = '66a000000000000000000001';
const NOW = new Date('2025-07-01T03:04:05.000Z');
const EMPTY_TWIML = '<?xml version="1.0" encoding="UTF-8"?><Response/>';

interface Deferred<T> {
  promise: Promise<T>;
  resolve(value: T): void;
}

function defer<T>(): Deferred<T> {
  let resolve!: (value: T) => void;
  const promise = new Promise<T>((done) => {
    resolve = done;
  });
  return { promise, resolve };
}

function inboundForm(overrides: Record<string, string> = {}): Record<string, string> {
  return {
    ToCountry: 'US',
    SmsMessageSid: 'SM0123456789abcdef0123456789abcdef',
    NumMedia: '0',
    SmsSid: 'SM0123456789abcdef0123456789abcdef',
    SmsStatus: 'received',
    Body: 'kak mau pesen beras 5kg',
    To: COOP_NUMBER,
    NumSegments: '1',
    MessageSid: 'SM0123456789abcdef0123456789abcdef',
    AccountSid: 'AC0123456789abcdef0123456789abcdef',
    From: SITI,
    ApiVersion: '2010-04-01',
    ...overrides,
  };
}

/** The dispatcher, outbox and coop lookup stand-ins: this project's own code, recorded. */
function createRecorder() {
  const calls = {
    resolveCoop: [] as Array<[ChannelName, string]>,
    handle: [] as InboundMessage[],
    markSentInline: [] as string[][],
    releaseInline: [] as string[][],
    recordStatus: [] as DeliveryStatusUpdate[],
  };
  const behaviour = {
    coops: new Map<string, string>([[COOP_NUMBER, COOP_ID]]),
    handle: async (_message: InboundMessage): Promise<HandledMessage> => ({ processed: true, replies: [] }),
    markSent: async (ids: string[]): Promise<number> => ids.length,
  };
  return {
    calls,
    behaviour,
    resolveCoop: async (channel: ChannelName, toNumber: string) => {
      calls.resolveCoop.push([channel, toNumber]);
      return behaviour.coops.get(toNumber);
    },
    handle: async (message: InboundMessage) => {
      calls.handle.push(message);
      return behaviour.handle(message);
    },
    markSentInline: async (ids: string[]) => {
      calls.markSentInline.push(ids);
      return behaviour.markSent(ids);
    },
    releaseInline: async (ids: string[]) => {
      calls.releaseInline.push(ids);
    },
    recordStatus: async (update: DeliveryStatusUpdate) => {
      calls.recordStatus.push(update);
    },
  };
}

describe('Twilio webhook router over HTTP', () => {
  let server: Server;
  let localBase: string;
  let recorder: ReturnType<typeof createRecorder>;
  let logLines: string[];
  let inlineWindowMs: number | undefined;
  /** Paths whose response the router ended, recorded synchronously at res.end(). */
  let ended: string[];

  beforeAll(async () => {
    const app = express();
    // Built per request so each test gets fresh recorders, window and log.
    app.use((req, res, next) => {
      const end = res.end.bind(res) as (...args: unknown[]) => typeof res;
      res.end = ((...args: unknown[]) => {
        ended.push(req.path);
        return end(...args);
      }) as typeof res.end;
      const sink = new Writable({
        write(chunk, _encoding, done) {
          logLines.push(String(chunk));
          done();
        },
      });
      const router = createTwilioWebhookRouter({
        authToken: AUTH_TOKEN,
        publicBaseUrl: `${PUBLIC_BASE}/`,
        resolveCoop: recorder.resolveCoop,
        handle: recorder.handle,
        markSentInline: recorder.markSentInline,
        releaseInline: recorder.releaseInline,
        recordStatus: recorder.recordStatus,
        logger: createLogger({ level: 'info', pretty: false }, sink),
        clock: () => NOW,
        ...(inlineWindowMs === undefined ? {} : { inlineWindowMs }),
      });
      router(req, res, next);
    });
    app.use((_req, res) => {
      res.status(404).end();
    });
    server = app.listen(0, '127.0.0.1');
    await new Promise<void>((resolve) => server.once('listening', () => resolve()));
    localBase = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });

  afterAll(async () => {
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  });

  beforeEach(() => {
    recorder = createRecorder();
    logLines = [];
    inlineWindowMs = undefined;
    ended = [];
  });

  afterEach(() => {
    jest.useRealTimers();
  });

  interface PostOptions {
    /** null: send no signature header; a string: send exactly this. Default: sign correctly. */
    signature?: string | null;
    /** The URL the signature is computed over. Default: the public URL Twilio would sign. */
    signedUrl?: string;
    /** Parameters to sign, when they should differ from what is sent. */
    signedParams?: Record<string, string>;
  }

  function post(path: string, params: Record<string, string>, options: PostOptions = {}): Promise<Response> {
    const signature =
      options.signature === undefined
        ? twilio.getExpectedTwilioSignature(AUTH_TOKEN, options.signedUrl ?? PUBLIC_BASE + path, options.signedParams ?? params)
        : options.signature;
    const headers: Record<string, string> = { 'content-type': 'application/x-www-form-urlencoded' };
    if (signature !== null) headers['x-twilio-signature'] = signature;
    return fetch(localBase + path, { method: 'POST', headers, body: new URLSearchParams(params).toString() });
  }

  /** Posts a signed message and hangs up (closes the connection) when `hangUp` resolves, as Twilio does on its timeout. */
  function postThenHangUp(params: Record<string, string>, hangUp: Promise<void>): Promise<void> {
    const body = new URLSearchParams(params).toString();
    const signature = twilio.getExpectedTwilioSignature(AUTH_TOKEN, `${PUBLIC_BASE}/webhooks/twilio`, params);
    return new Promise((resolve) => {
      const request = http.request(`${localBase}/webhooks/twilio`, {
        method: 'POST',
        agent: false,
        headers: { 'content-type': 'application/x-www-form-urlencoded', 'content-length': Buffer.byteLength(body), 'x-twilio-signature': signature },
      });
      request.on('error', () => resolve());
      request.on('close', () => resolve());
      request.end(body);
      void hangUp.then(() => request.destroy());
    });
  }

  function logsAt(level: number): Array<Record<string, unknown>> {
    return logLines.map((line) => JSON.parse(line) as Record<string, unknown>).filter((entry) => entry.level === level);
  }

  describe('POST /webhooks/twilio', () => {
    test('a signed SMS is handed to the dispatcher, its replies come back as TwiML and are then recorded as sent inline', async () => {
      recorder.behaviour.handle = async () => ({
        processed: true,
        replies: [
          { outboxId: 'a1', text: 'Keranjang: Beras 5 kg' },
          { outboxId: 'a2', text: 'Ketik 1 untuk ambil sendiri' },
        ],
      });

      const response = await post('/webhooks/twilio', inboundForm());

      expect(response.status).toBe(200);
      expect(response.headers.get('content-type')).toMatch(/^text\/xml/);
      expect(await response.text()).toBe(
        '<?xml version="1.0" encoding="UTF-8"?><Response><Message>Keranjang: Beras 5 kg</Message><Message>Ketik 1 untuk ambil sendiri</Message></Response>',
      );
      expect(recorder.calls.resolveCoop).toEqual([['sms', COOP_NUMBER]]);
      expect(recorder.calls.handle).toEqual([
        {
          channel: 'sms',
          provider: 'twilio',
          coopId: COOP_ID,
          from: SITI,
          providerMessageId: 'SM0123456789abcdef0123456789abcdef',
          text: 'kak mau pesen beras 5kg',
          receivedAt: NOW,
        },
      ]);
      await waitFor(async () => recorder.calls.markSentInline.length > 0);
      expect(recorder.calls.markSentInline).toEqual([['a1', 'a2']]);
      expect(recorder.calls.releaseInline).toEqual([]);
    });

    test('replies the outbox worker took after all are logged as going twice', async () => {
      recorder.behaviour.handle = async () => ({ processed: true, replies: [{ outboxId: 'b1', text: 'satu' }, { outboxId: 'b2', text: 'dua' }] });
      recorder.behaviour.markSent = async () => 1;

      const response = await post('/webhooks/twilio', inboundForm());

      expect(await response.text()).toBe('<?xml version="1.0" encoding="UTF-8"?><Response><Message>satu</Message><Message>dua</Message></Response>');
      await waitFor(async () => logsAt(40).length > 0);
      expect(logsAt(40)).toEqual([expect.objectContaining({ msg: 'the outbox worker took replies already answered inline; they go twice', replies: 2, marked: 1 })]);
    });

    test('characters XML cannot carry are dropped from the TwiML instead of failing the answer', async () => {
      recorder.behaviour.handle = async () => ({ processed: true, replies: [{ outboxId: 'b3', text: 'Alamat: Jl\u0001 Kenanga\r\nNo 7 \u{1F600}' }] });

      const response = await post('/webhooks/twilio', inboundForm());

      expect(response.status).toBe(200);
      expect(await response.text()).toBe('<?xml version="1.0" encoding="UTF-8"?><Response><Message>Alamat: Jl Kenanga&#xD;\nNo 7 \u{1F600}</Message></Response>');
    });

    test('a reply with <, & and > is escaped in the TwiML', async () => {
      recorder.behaviour.handle = async () => ({ processed: true, replies: [{ outboxId: 'c1', text: 'Harga <beras & minyak> naik' }] });

      const response = await post('/webhooks/twilio', inboundForm());

      const xml = await response.text();
      expect(xml).toBe('<?xml version="1.0" encoding="UTF-8"?><Response><Message>Harga &lt;beras &amp; minyak&gt; naik</Message></Response>');
    });

    test('a WhatsApp message via Twilio is channel whatsapp, with the whatsapp: prefix stripped from both numbers', async () => {
      recorder.behaviour.handle = async () => ({ processed: true, replies: [{ outboxId: 'd1', text: '*Halo kak*' }] });

      const response = await post(
        '/webhooks/twilio',
        inboundForm({ From: `whatsapp:${SITI}`, To: `whatsapp:${COOP_NUMBER}`, ProfileName: 'Siti', WaId: '6281200000001' }),
      );

      expect(response.status).toBe(200);
      expect(await response.text()).toContain('<Message>*Halo kak*</Message>');
      expect(recorder.calls.resolveCoop).toEqual([['whatsapp', COOP_NUMBER]]);
      expect(recorder.calls.handle).toHaveLength(1);
      expect(recorder.calls.handle[0]).toMatchObject({ channel: 'whatsapp', provider: 'twilio', from: SITI, coopId: COOP_ID });
    });

    test('a forged signature is refused with 403 before anything is looked up', async () => {
      const response = await post('/webhooks/twilio', inboundForm(), { signature: 'bm90IGEgcmVhbCBzaWduYXR1cmU=' });

      expect(response.status).toBe(403);
      expect(await response.text()).toBe('');
      expect(recorder.calls.resolveCoop).toEqual([]);
      expect(recorder.calls.handle).toEqual([]);
      expect(logsAt(40).map((entry) => entry.msg)).toEqual(['twilio webhook refused: signature missing or invalid']);
    });

    test('a missing signature is refused with 403', async () => {
      const response = await post('/webhooks/twilio', inboundForm(), { signature: null });

      expect(response.status).toBe(403);
      expect(await response.text()).toBe('');
      expect(recorder.calls.handle).toEqual([]);
      expect(logsAt(40)).toHaveLength(1);
    });

    test('a body changed after signing is refused with 403', async () => {
      const response = await post('/webhooks/twilio', inboundForm({ Body: 'batalkan semua pesanan' }), { signedParams: inboundForm() });

      expect(response.status).toBe(403);
      expect(recorder.calls.handle).toEqual([]);
    });

    test('a signature over the local address instead of the public URL is refused', async () => {
      const response = await post('/webhooks/twilio', inboundForm(), { signedUrl: `${localBase}/webhooks/twilio` });

      expect(response.status).toBe(403);
      expect(recorder.calls.handle).toEqual([]);
    });

    test('a message to a number no cooperative owns gets empty TwiML and a warning, and is not handled', async () => {
      const response = await post('/webhooks/twilio', inboundForm({ To: '+15005550009' }));

      expect(response.status).toBe(200);
      expect(await response.text()).toBe(EMPTY_TWIML);
      expect(recorder.calls.resolveCoop).toEqual([['sms', '+15005550009']]);
      expect(recorder.calls.handle).toEqual([]);
      expect(logsAt(40).map((entry) => entry.msg)).toEqual(['twilio message for a number no cooperative owns']);
    });

    test('a signed body without MessageSid is a 400 and is not handled', async () => {
      const form = inboundForm();
      delete form.MessageSid;

      const response = await post('/webhooks/twilio', form);

      expect(response.status).toBe(400);
      expect(await response.text()).toBe('');
      expect(recorder.calls.resolveCoop).toEqual([]);
      expect(recorder.calls.handle).toEqual([]);
    });

    test('a signed body whose From is not a phone number is a 400', async () => {
      const response = await post('/webhooks/twilio', inboundForm({ From: 'KDMP' }));

      expect(response.status).toBe(400);
      expect(recorder.calls.handle).toEqual([]);
    });

    test('a redelivery (processed: false) gets empty TwiML and nothing is recorded', async () => {
      recorder.behaviour.handle = async () => ({ processed: false, replies: [{ outboxId: 'e1', text: 'sudah dibalas' }] });

      const response = await post('/webhooks/twilio', inboundForm());

      expect(response.status).toBe(200);
      expect(await response.text()).toBe(EMPTY_TWIML);
      expect(recorder.calls.handle).toHaveLength(1);
      expect(recorder.calls.markSentInline).toEqual([]);
    });

    test('a dispatcher slower than the 5 s window gets empty TwiML at once; the outbox keeps the replies', async () => {
      // Only the router's window timer is faked; sockets and express run on real time.
      jest.useFakeTimers({ doNotFake: ['nextTick', 'setImmediate', 'clearImmediate', 'setInterval', 'clearInterval', 'queueMicrotask', 'hrtime', 'performance', 'Date'] });
      const started = defer<void>();
      const finish = defer<HandledMessage>();
      recorder.behaviour.handle = async () => {
        started.resolve();
        return finish.promise;
      };

      const responsePromise = post('/webhooks/twilio', inboundForm());
      await started.promise;
      await jest.advanceTimersByTimeAsync(4999);
      expect(ended).toEqual([]);

      await jest.advanceTimersByTimeAsync(1);
      expect(ended).toEqual(['/webhooks/twilio']);
      const response = await responsePromise;
      expect(response.status).toBe(200);
      expect(await response.text()).toBe(EMPTY_TWIML);

      finish.resolve({ processed: true, replies: [{ outboxId: 'f1', text: 'terlambat' }] });
      await finish.promise;
      await new Promise((resolve) => setImmediate(resolve));
      expect(recorder.calls.markSentInline).toEqual([]);
    });

    test('replies ready after Twilio hung up are handed to the outbox at once, to go by REST', async () => {
      const ready = defer<void>();
      recorder.behaviour.handle = async () => {
        await ready.promise;
        return { processed: true, replies: [{ outboxId: 'c1', text: 'halo' }] };
      };
      const handling = defer<void>();
      const original = recorder.behaviour.handle;
      recorder.behaviour.handle = async (message) => {
        handling.resolve();
        return original(message);
      };
      await postThenHangUp(inboundForm(), handling.promise);
      await new Promise((resolve) => setTimeout(resolve, 20));
      ready.resolve();
      await waitFor(async () => recorder.calls.releaseInline.length > 0);
      expect(recorder.calls.handle).toHaveLength(1);
      expect(recorder.calls.releaseInline).toEqual([['c1']]);
      expect(recorder.calls.markSentInline).toEqual([]);
    });

    test('a small inline window is honoured too', async () => {
      jest.useFakeTimers({ doNotFake: ['nextTick', 'setImmediate', 'clearImmediate', 'setInterval', 'clearInterval', 'queueMicrotask', 'hrtime', 'performance', 'Date'] });
      inlineWindowMs = 50;
      const started = defer<void>();
      recorder.behaviour.handle = async () => {
        started.resolve();
        return new Promise<HandledMessage>(() => {});
      };

      const responsePromise = post('/webhooks/twilio', inboundForm());
      await started.promise;
      await jest.advanceTimersByTimeAsync(50);

      expect(await (await responsePromise).text()).toBe(EMPTY_TWIML);
      expect(recorder.calls.markSentInline).toEqual([]);
    });

    test('a dispatcher failure is answered with empty TwiML and 200, and logged', async () => {
      recorder.behaviour.handle = async () => {
        throw new Error('database unavailable');
      };

      const response = await post('/webhooks/twilio', inboundForm());

      expect(response.status).toBe(200);
      expect(await response.text()).toBe(EMPTY_TWIML);
      const errors = logsAt(50);
      expect(errors.map((entry) => entry.msg)).toEqual(['twilio message failed']);
      expect(JSON.stringify(errors[0].err)).toContain('database unavailable');
    });

    test('a failing record of the inline answer is logged; the replies were answered all the same', async () => {
      recorder.behaviour.handle = async () => ({ processed: true, replies: [{ outboxId: 'g1', text: 'halo' }] });
      recorder.behaviour.markSent = async () => {
        throw new Error('write conflict');
      };

      const response = await post('/webhooks/twilio', inboundForm());

      expect(response.status).toBe(200);
      expect(await response.text()).toContain('<Message>halo</Message>');
      await waitFor(async () => logsAt(50).length > 0);
      expect(logsAt(50).map((entry) => entry.msg)).toEqual(['recording inline replies as sent failed; the outbox sends them again when their hold ends']);
    });

    test('logs at info and above hold no full phone number and no message text', async () => {
      recorder.behaviour.handle = async () => ({ processed: true, replies: [{ outboxId: 'h1', text: 'ok' }] });
      await post('/webhooks/twilio', inboundForm());
      await post('/webhooks/twilio', inboundForm({ To: '+15005550009' }));

      const output = logLines.join('');
      expect(logLines.length).toBeGreaterThanOrEqual(2);
      for (const secret of ['6281200000001', '15005550009', 'pesen beras']) expect(output).not.toContain(secret);
    });
  });

  describe('POST /webhooks/twilio/status', () => {
    function statusForm(messageStatus: string, extra: Record<string, string> = {}): Record<string, string> {
      return {
        AccountSid: 'AC0123456789abcdef0123456789abcdef',
        From: COOP_NUMBER,
        To: SITI,
        ApiVersion: '2010-04-01',
        MessageSid: 'SMfedcba9876543210fedcba9876543210',
        SmsSid: 'SMfedcba9876543210fedcba9876543210',
        MessageStatus: messageStatus,
        SmsStatus: messageStatus,
        ...extra,
      };
    }

    test.each([
      ['queued', 'queued'],
      ['accepted', 'queued'],
      ['sending', 'queued'],
      ['sent', 'sent'],
      ['delivered', 'delivered'],
      ['read', 'delivered'],
      ['failed', 'failed'],
    ] as const)('MessageStatus %s is recorded as %s', async (messageStatus, status) => {
      const response = await post('/webhooks/twilio/status', statusForm(messageStatus));

      expect(response.status).toBe(204);
      expect(recorder.calls.recordStatus).toEqual([
        { provider: 'twilio', providerMessageId: 'SMfedcba9876543210fedcba9876543210', status, at: NOW },
      ]);
    });

    test('undelivered with ErrorCode 63016 (outside the WhatsApp window) is a failure carrying the code', async () => {
      const response = await post(
        '/webhooks/twilio/status',
        statusForm('undelivered', { ErrorCode: '63016', From: `whatsapp:${COOP_NUMBER}`, To: `whatsapp:${SITI}` }),
      );

      expect(response.status).toBe(204);
      expect(recorder.calls.recordStatus).toEqual([
        { provider: 'twilio', providerMessageId: 'SMfedcba9876543210fedcba9876543210', status: 'failed', errorCode: '63016', at: NOW },
      ]);
    });

    test('a status Twilio uses only for inbound messages is acknowledged and not recorded', async () => {
      const response = await post('/webhooks/twilio/status', statusForm('received'));

      expect(response.status).toBe(204);
      expect(recorder.calls.recordStatus).toEqual([]);
    });

    test('an unsigned or forged status callback is refused with 403 and not recorded', async () => {
      const missing = await post('/webhooks/twilio/status', statusForm('delivered'), { signature: null });
      const forged = await post('/webhooks/twilio/status', statusForm('delivered'), {
        signedParams: statusForm('delivered', { MessageSid: 'SMother' }),
      });

      expect(missing.status).toBe(403);
      expect(forged.status).toBe(403);
      expect(recorder.calls.recordStatus).toEqual([]);
    });

    test('a signed status callback without MessageStatus is a 400', async () => {
      const form = statusForm('delivered');
      delete form.MessageStatus;

      const response = await post('/webhooks/twilio/status', form);

      expect(response.status).toBe(400);
      expect(recorder.calls.recordStatus).toEqual([]);
    });
  });
});
