import { afterEach, beforeEach, describe, expect, it, jest } from '@jest/globals';
import type { AnyMessageContent, WAMessage } from '@whiskeysockets/baileys';
import { createBaileysSender, type BaileysSendTarget, type BaileysSenderDeps } from '../../../src/channels/baileys/baileys-sender.js';
import type { WhatsAppConnectionState } from '../../../src/channels/baileys/whatsapp-connection.js';
import { SendError, type OutboundMessage } from '../../../src/channels/types.js';
import { silentLogger } from '../../../src/logger.js';

/** 23:59:00 in Jakarta (UTC+7) on 1 June 2025. */
const JUST_BEFORE_MIDNIGHT = new Date('2025-06-01T16:59:00Z');

interface Sent {
  coopId: string;
  jid: string;
  content: AnyMessageContent;
  at: number;
}

/** A coop's connection as the sender sees it; the WhatsApp servers are behind it. */
function fakeTarget(coopId: string, sent: Sent[], state: WhatsAppConnectionState = 'open') {
  let count = 0;
  const target: BaileysSendTarget & { state: WhatsAppConnectionState; fail?: unknown } = {
    state,
    async sendMessage(jid: string, content: AnyMessageContent): Promise<WAMessage | undefined> {
      if (target.fail) throw target.fail;
      count += 1;
      sent.push({ coopId, jid, content, at: Date.now() });
      return { key: { remoteJid: jid, fromMe: true, id: `${coopId}-OUT${count}` } };
    },
  };
  return target;
}

function outbound(coopId: string, n: number, to = '+6281234567890'): OutboundMessage {
  return { id: `outbox-${coopId}-${n}`, coopId, channel: 'whatsapp', provider: 'baileys', to, text: `Pesanan #${n} diterima` };
}

describe('createBaileysSender', () => {
  let sent: Sent[];
  let targets: Map<string, ReturnType<typeof fakeTarget>>;

  beforeEach(() => {
    jest.useFakeTimers({ now: new Date('2025-06-01T03:00:00Z') });
    sent = [];
    targets = new Map([
      ['coop-a', fakeTarget('coop-a', sent)],
      ['coop-b', fakeTarget('coop-b', sent)],
    ]);
  });

  afterEach(() => {
    jest.useRealTimers();
  });

  function sender(overrides: Partial<BaileysSenderDeps> = {}) {
    return createBaileysSender({
      socketFor: (coopId) => targets.get(coopId),
      logger: silentLogger,
      minDelayMs: 1500,
      jitterMs: 1500,
      random: () => 0.5,
      ...overrides,
    });
  }

  it('sends the text to the phone-number jid and returns the WhatsApp message id', async () => {
    const result = await sender().send(outbound('coop-a', 1));
    expect(result).toEqual({ providerMessageId: 'coop-a-OUT1', status: 'sent' });
    expect(sent).toEqual([{ coopId: 'coop-a', jid: '6281234567890@s.whatsapp.net', content: { text: 'Pesanan #1 diterima' }, at: Date.now() }]);
  });

  it('sends a QR code as a PNG image with the text as its caption', async () => {
    jest.useRealTimers();
    await sender().send({ ...outbound('coop-a', 2), qrCode: { data: '000201010212', publicPath: '/media/qr/x.png' } });
    const content = sent[0].content as { image: Buffer; caption: string };
    expect(content.caption).toBe('Pesanan #2 diterima');
    expect(content.image.subarray(0, 8)).toEqual(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]));
  });

  it('spaces two messages from one number by at least minDelay plus jitter', async () => {
    const s = sender();
    const start = Date.now();
    const first = s.send(outbound('coop-a', 1));
    const second = s.send(outbound('coop-a', 2, '+6281299990000'));
    await jest.advanceTimersByTimeAsync(0);
    expect(sent).toHaveLength(1);
    // 1500 + floor(0.5 * 1500) = 2250 ms
    await jest.advanceTimersByTimeAsync(2249);
    expect(sent).toHaveLength(1);
    await jest.advanceTimersByTimeAsync(1);
    await Promise.all([first, second]);
    expect(sent.map((item) => item.at - start)).toEqual([0, 2250]);
    expect(sent[1].at - sent[0].at).toBeGreaterThanOrEqual(1500);
  });

  it('never spaces sends by less than minDelay, even when the jitter draw is zero', async () => {
    const s = sender({ random: () => 0 });
    const sends = [1, 2, 3].map((n) => s.send(outbound('coop-a', n)));
    await jest.advanceTimersByTimeAsync(10_000);
    await Promise.all(sends);
    expect(sent[1].at - sent[0].at).toBe(1500);
    expect(sent[2].at - sent[1].at).toBe(1500);
  });

  it('does not make one number wait for another', async () => {
    const s = sender();
    const start = Date.now();
    const sends = [s.send(outbound('coop-a', 1)), s.send(outbound('coop-a', 2)), s.send(outbound('coop-b', 1))];
    await jest.advanceTimersByTimeAsync(0);
    expect(sent.map((item) => `${item.coopId}@${item.at - start}`)).toEqual(['coop-a@0', 'coop-b@0']);
    await jest.advanceTimersByTimeAsync(2250);
    await Promise.all(sends);
    expect(sent.map((item) => `${item.coopId}@${item.at - start}`)).toEqual(['coop-a@0', 'coop-b@0', 'coop-a@2250']);
  });

  it('refuses over the daily cap with a transient daily_cap error, and resets at midnight Jakarta time', async () => {
    jest.setSystemTime(JUST_BEFORE_MIDNIGHT);
    const s = sender({ dailyCap: 2, minDelayMs: 1000, jitterMs: 0 });
    const firstTwo = [s.send(outbound('coop-a', 1)), s.send(outbound('coop-a', 2))];
    await jest.advanceTimersByTimeAsync(1000);
    await Promise.all(firstTwo);

    const refused = await s.send(outbound('coop-a', 3)).catch((error: unknown) => error);
    expect(refused).toBeInstanceOf(SendError);
    expect(refused).toMatchObject({ code: 'daily_cap', permanent: false });
    // Another coop's number has its own cap.
    await expect(s.send(outbound('coop-b', 1))).resolves.toMatchObject({ status: 'sent' });

    // 00:00:00 in Jakarta (17:00 UTC): a new day.
    jest.setSystemTime(new Date('2025-06-01T17:00:00Z'));
    await expect(s.send(outbound('coop-a', 3))).resolves.toMatchObject({ status: 'sent' });
    expect(sent.filter((item) => item.coopId === 'coop-a')).toHaveLength(3);
  });

  it('counts the cap at send time, so queued messages over the cap are refused too', async () => {
    const s = sender({ dailyCap: 1, minDelayMs: 1000, jitterMs: 0 });
    const first = s.send(outbound('coop-a', 1));
    const second = s.send(outbound('coop-a', 2)).catch((error: unknown) => error);
    await jest.advanceTimersByTimeAsync(1000);
    await first;
    expect(await second).toMatchObject({ code: 'daily_cap', permanent: false });
    expect(sent).toHaveLength(1);
  });

  it.each<[string, WhatsAppConnectionState | undefined]>([
    ['no connection for the coop', undefined],
    ['connecting', 'connecting'],
    ['pairing', 'pairing'],
    ['replaced', 'replaced'],
    ['closed', 'closed'],
  ])('is a transient not_connected error when %s', async (_label, state) => {
    if (state) targets.get('coop-a')!.state = state;
    else targets.delete('coop-a');
    await expect(sender().send(outbound('coop-a', 1))).rejects.toMatchObject({ name: 'SendError', code: 'not_connected', permanent: false });
    expect(sent).toHaveLength(0);
  });

  it('is a permanent logged_out error when the number was logged out', async () => {
    targets.get('coop-a')!.state = 'logged_out';
    await expect(sender().send(outbound('coop-a', 1))).rejects.toMatchObject({ code: 'logged_out', permanent: true });
  });

  it('is transient when the socket closes under the send (Boom 428), and keeps pacing', async () => {
    const s = sender();
    targets.get('coop-a')!.fail = Object.assign(new Error('Connection Closed'), { isBoom: true, output: { statusCode: 428 } });
    await expect(s.send(outbound('coop-a', 1))).rejects.toMatchObject({ code: 'not_connected', permanent: false });
    targets.get('coop-a')!.fail = undefined;
    const start = Date.now();
    const next = s.send(outbound('coop-a', 2));
    await jest.advanceTimersByTimeAsync(2250);
    await next;
    expect(sent[0].at - start).toBe(2250);
  });

  it('wraps any other failure as a transient SendError with the cause kept', async () => {
    const cause = new Error('encryption failed');
    targets.get('coop-a')!.fail = cause;
    const error = await sender().send(outbound('coop-a', 1)).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(SendError);
    expect(error).toMatchObject({ permanent: false, code: 'send_failed', cause });
  });

  it('refuses a recipient that is not E.164, permanently', async () => {
    await expect(sender().send(outbound('coop-a', 1, '081234567890'))).rejects.toMatchObject({ code: 'invalid_number', permanent: true });
  });

  it('refuses beyond maxQueued per number instead of holding the outbox', async () => {
    const s = sender({ maxQueued: 2 });
    const queued = [s.send(outbound('coop-a', 1)), s.send(outbound('coop-a', 2))];
    await expect(s.send(outbound('coop-a', 3))).rejects.toMatchObject({ code: 'queue_full', permanent: false });
    await jest.advanceTimersByTimeAsync(2250);
    await Promise.all(queued);
  });

  it('is the ChannelSender of provider baileys', () => {
    expect(sender().provider).toBe('baileys');
  });
});
