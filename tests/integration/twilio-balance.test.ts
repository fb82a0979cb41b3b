import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import twilio from 'twilio';
import { demoCoop } from '../../src/demo/coop.js';
import { GSM7_SEGMENT, measureGsm7 } from '../../src/engine/render/gsm7.js';
import { start, type RunningService } from '../../src/main.js';
import { serviceEnv } from '../helpers/service-env.js';
import { waitFor } from '../helpers/database.js';

const AUTH_TOKEN = 'twilio-auth-token-for-tests-0001';
const PUBLIC_BASE_URL = 'https://kdmp.example.id';
const ADMIN_TOKEN = 'admin-token-for-tests-0123456789';
const SITI = '+6281200000001';
const COOP_SMS_NUMBER = demoCoop.numbers.sms[0];

interface AdminOutboxItem {
  id: string;
  to: string;
  text: string;
  status: string;
  sentBy: string | null;
  provider: string;
  channel: string;
}

/** The texts of the <Message> elements of a TwiML answer. */
function twimlMessages(xml: string): string[] {
  return [...xml.matchAll(/<Message>([\s\S]*?)<\/Message>/g)].map((match) =>
    match[1].replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&quot;/g, '"').replace(/&apos;/g, "'").replace(/&amp;/g, '&'),
  );
}

describe('balance by SMS through Twilio (signed webhook, TwiML answer)', () => {
  let dataDir: string;
  let service: RunningService;
  let base: string;
  let sid = 0;

  beforeAll(async () => {
    dataDir = await mkdtemp(join(tmpdir(), 'kdmp-twilio-'));
    service = await start(
      serviceEnv(dataDir, {
        ADMIN_TOKEN,
        TWILIO_ACCOUNT_SID: `AC${'0123456789abcdef'.repeat(2)}`,
        TWILIO_AUTH_TOKEN: AUTH_TOKEN,
        PUBLIC_BASE_URL,
      }),
    );
    base = `http://127.0.0.1:${service.port}`;
  });

  afterAll(async () => {
    await service?.stop();
    if (dataDir) await rm(dataDir, { recursive: true, force: true });
  });

  const nextSid = () => `SM${String(++sid).padStart(32, '0')}`;

  /** Posts a Twilio SMS webhook signed over the public URL (as Twilio does), sent to loopback. */
  async function postTwilioSms(params: Record<string, string>, signature?: string): Promise<{ status: number; body: string }> {
    const path = '/webhooks/twilio';
    const signed = signature ?? twilio.getExpectedTwilioSignature(AUTH_TOKEN, PUBLIC_BASE_URL + path, params);
    const response = await fetch(base + path, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', 'x-twilio-signature': signed },
      body: new URLSearchParams(params).toString(),
    });
    return { status: response.status, body: await response.text() };
  }

  function smsFromSiti(messageSid: string, text: string): Record<string, string> {
    return { MessageSid: messageSid, SmsMessageSid: messageSid, AccountSid: `AC${'0123456789abcdef'.repeat(2)}`, From: SITI, To: COOP_SMS_NUMBER, Body: text, NumMedia: '0' };
  }

  async function outboxFor(to: string): Promise<AdminOutboxItem[]> {
    const response = await fetch(`${base}/admin/api/outbox?${new URLSearchParams({ to })}`, { headers: { authorization: `Bearer ${ADMIN_TOKEN}` } });
    expect(response.status).toBe(200);
    return ((await response.json()) as { items: AdminOutboxItem[] }).items;
  }

  test('"saldo" then the PIN answers the balance in one GSM-7 segment; a redelivery answers nothing new', async () => {
    const asked = await postTwilioSms(smsFromSiti(nextSid(), 'saldo'));
    expect(asked.status).toBe(200);
    const prompt = twimlMessages(asked.body);
    expect(prompt).toHaveLength(1);
    // Before the PIN, no money is shown.
    expect(prompt.join('\n')).not.toMatch(/Rp\s?\d/);

    const pinSid = nextSid();
    const answered = await postTwilioSms(smsFromSiti(pinSid, '1234'));
    expect(answered.status).toBe(200);
    const balance = twimlMessages(answered.body);
    expect(balance).toHaveLength(1);
    const [text] = balance;
    // Siti's ledger: pokok 100.000, wajib 12 x 20.000, sukarela 150.000 + 100.000.
    expect(text).toMatch(/pokok[^\n]*Rp100\.000/i);
    expect(text).toMatch(/wajib[^\n]*Rp240\.000/i);
    expect(text).toMatch(/sukarela[^\n]*Rp250\.000/i);
    const nonGsm = [...text].filter((char) => measureGsm7(char) === undefined);
    expect(nonGsm).toEqual([]);
    expect(measureGsm7(text)).toBeLessThanOrEqual(GSM7_SEGMENT);

    // Newest first: the balance, then the PIN prompt; both answered inline (TwiML), none left for the worker.
    // The webhook records them as sent once its answer is written out, just after the response.
    await waitFor(async () => (await outboxFor(SITI)).every((item) => item.status === 'sent'));
    const before = await outboxFor(SITI);
    expect(before.map((item) => item.text)).toEqual([text, prompt[0]]);
    for (const item of before) {
      expect(item).toMatchObject({ status: 'sent', sentBy: 'inline', provider: 'twilio', channel: 'sms', to: SITI });
    }

    // Twilio retries the same MessageSid (e.g. our answer was lost): nothing is processed again.
    const again = await postTwilioSms(smsFromSiti(pinSid, '1234'));
    expect(again.status).toBe(200);
    expect(twimlMessages(again.body)).toEqual([]);
    expect(again.body).toMatch(/<Response\s*\/>/);
    const after = await outboxFor(SITI);
    expect(after.map((item) => item.id)).toEqual(before.map((item) => item.id));
  });

  test('a forged signature is refused with 403 and nothing is stored', async () => {
    const messageSid = nextSid();
    const params = smsFromSiti(messageSid, 'saldo');
    const forged = twilio.getExpectedTwilioSignature('not-the-auth-token', PUBLIC_BASE_URL + '/webhooks/twilio', params);
    const outboxBefore = await service.models.OutboxItem.countDocuments({});

    const refused = await postTwilioSms(params, forged);
    expect(refused.status).toBe(403);
    expect(refused.body).toBe('');
    // Signed for another URL (the loopback one this process sees) is forged too.
    const wrongUrl = twilio.getExpectedTwilioSignature(AUTH_TOKEN, `${base}/webhooks/twilio`, params);
    expect((await postTwilioSms(params, wrongUrl)).status).toBe(403);

    expect(await service.models.InboundMessage.countDocuments({ providerMessageId: messageSid })).toBe(0);
    expect(await service.models.OutboxItem.countDocuments({})).toBe(outboxBefore);
  });
});
