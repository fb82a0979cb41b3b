import { Writable } from 'node:stream';
import { describe, expect, it } from '@jest/globals';
import { proto } from '@whiskeysockets/baileys';
import { readMessageText, toInboundMessage } from '../../../src/channels/baileys/inbound-message.js';
import { createLogger, silentLogger } from '../../../src/logger.js';
import { RESIDENT_JID, RESIDENT_LID, RESIDENT_PHONE, waMessage } from './wa-messages.js';

const COOP = 'coop-sukamaju';
const noLids = { getPNForLID: async () => null };

function capturingLogger() {
  const lines: string[] = [];
  const sink = new Writable({
    write(chunk, _encoding, done) {
      lines.push(String(chunk));
      done();
    },
  });
  return { logger: createLogger({ level: 'info', pretty: false }, sink), lines };
}

describe('toInboundMessage', () => {
  it('translates a plain text from a phone-number jid', async () => {
    const inbound = await toInboundMessage(waMessage({ id: '3EB0A1', text: 'mau pesan minyak 2 liter', timestamp: 1_750_000_123 }), COOP, {
      logger: silentLogger,
    });
    expect(inbound).toEqual({
      channel: 'whatsapp',
      provider: 'baileys',
      coopId: COOP,
      from: RESIDENT_PHONE,
      providerMessageId: '3EB0A1',
      text: 'mau pesan minyak 2 liter',
      receivedAt: new Date(1_750_000_123_000),
    });
  });

  it.each([
    ['extended text (link preview, quote)', { extendedTextMessage: { text: 'cek saldo' } }, 'cek saldo'],
    ['image caption', { imageMessage: { caption: 'beras yang ini ya' } }, 'beras yang ini ya'],
    ['video caption', { videoMessage: { caption: 'yang ini kak' } }, 'yang ini kak'],
    ['disappearing-mode envelope', { ephemeralMessage: { message: { extendedTextMessage: { text: 'gula 1kg' } } } }, 'gula 1kg'],
  ])('reads the text of %s', async (_label, message, text) => {
    const inbound = await toInboundMessage(waMessage({ id: 'X1', message: proto.Message.fromObject(message) }), COOP, { logger: silentLogger });
    expect(inbound?.text).toBe(text);
  });

  it.each([
    ['our own message', waMessage({ id: 'S1', fromMe: true })],
    ['a status update', waMessage({ id: 'S2', remoteJid: 'status@broadcast', participant: RESIDENT_JID })],
    ['a group message', waMessage({ id: 'S3', remoteJid: '120363025246125888@g.us', participant: RESIDENT_JID })],
    ['a newsletter post', waMessage({ id: 'S4', remoteJid: '120363144038483540@newsletter' })],
    ['a broadcast list', waMessage({ id: 'S5', remoteJid: '1750000000@broadcast', participant: RESIDENT_JID })],
    ['a sticker (no text)', waMessage({ id: 'S6', message: proto.Message.fromObject({ stickerMessage: { mimetype: 'image/webp' } }) })],
    ['a reaction (no text)', waMessage({ id: 'S7', message: proto.Message.fromObject({ reactionMessage: { text: '👍' } }) })],
    ['an image without caption', waMessage({ id: 'S8', message: proto.Message.fromObject({ imageMessage: { mimetype: 'image/jpeg' } }) })],
    ['whitespace only', waMessage({ id: 'S9', text: '   ' })],
  ])('skips %s', async (_label, msg) => {
    expect(await toInboundMessage(msg, COOP, { logger: silentLogger, lidMapping: noLids })).toBeUndefined();
  });

  it('maps a LID sender through remoteJidAlt on the key', async () => {
    const msg = waMessage({ id: 'L1', remoteJid: RESIDENT_LID, remoteJidAlt: RESIDENT_JID });
    const inbound = await toInboundMessage(msg, COOP, { logger: silentLogger, lidMapping: noLids });
    expect(inbound?.from).toBe(RESIDENT_PHONE);
  });

  it('maps a LID sender through the LID mapping store (device suffix dropped)', async () => {
    const lookups: string[] = [];
    const lidMapping = {
      getPNForLID: async (lid: string) => {
        lookups.push(lid);
        return lid === RESIDENT_LID ? '6281234567890:0@s.whatsapp.net' : null;
      },
    };
    const inbound = await toInboundMessage(waMessage({ id: 'L2', remoteJid: RESIDENT_LID }), COOP, { logger: silentLogger, lidMapping });
    expect(lookups).toEqual([RESIDENT_LID]);
    expect(inbound?.from).toBe(RESIDENT_PHONE);
  });

  it('skips, with a warning, a LID nobody can map, and never turns its digits into a phone', async () => {
    const { logger, lines } = capturingLogger();
    const inbound = await toInboundMessage(waMessage({ id: 'L3', remoteJid: RESIDENT_LID }), COOP, { logger, lidMapping: noLids });
    expect(inbound).toBeUndefined();
    const warnings = lines.map((line) => JSON.parse(line) as { level: number; msg: string }).filter((line) => line.level === 40);
    expect(warnings).toHaveLength(1);
    expect(warnings[0].msg).toMatch(/no known phone number/);
  });

  it('skips a LID when the mapping store fails, and when there is no store at all', async () => {
    const failing = { getPNForLID: async () => Promise.reject(new Error('store closed')) };
    expect(await toInboundMessage(waMessage({ id: 'L4', remoteJid: RESIDENT_LID }), COOP, { logger: silentLogger, lidMapping: failing })).toBeUndefined();
    expect(await toInboundMessage(waMessage({ id: 'L5', remoteJid: RESIDENT_LID }), COOP, { logger: silentLogger })).toBeUndefined();
  });

  it('uses the clock when the message has no timestamp', async () => {
    const msg = waMessage({ id: 'T1' });
    msg.messageTimestamp = null;
    const now = new Date('2025-06-01T03:00:00Z');
    expect((await toInboundMessage(msg, COOP, { logger: silentLogger, now: () => now }))?.receivedAt).toEqual(now);
  });
});

describe('readMessageText', () => {
  it('is undefined for no message at all', () => {
    expect(readMessageText(undefined)).toBeUndefined();
    expect(readMessageText(proto.Message.create())).toBeUndefined();
  });
});
