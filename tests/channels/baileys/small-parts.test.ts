import { describe, expect, it } from '@jest/globals';
import { jidFromPhone, phoneFromJid } from '../../../src/channels/baileys/phone-jid.js';
import { printQrToTerminal } from '../../../src/channels/baileys/print-qr.js';
import { createRecentIds } from '../../../src/channels/baileys/recent-ids.js';
import { formatPairingCode } from '../../../src/channels/baileys/whatsapp-connection.js';

describe('phoneFromJid / jidFromPhone', () => {
  it.each([
    ['6281234567890@s.whatsapp.net', '+6281234567890'],
    ['6281234567890:12@s.whatsapp.net', '+6281234567890'],
    ['6281234567890@hosted', '+6281234567890'],
    ['148620148620148@lid', undefined],
    ['120363025246125888@g.us', undefined],
    ['status@broadcast', undefined],
    ['0@s.whatsapp.net', undefined],
    [undefined, undefined],
  ])('%s -> %s', (jid, phone) => {
    expect(phoneFromJid(jid)).toBe(phone);
  });

  it('builds the jid of an E.164 number', () => {
    expect(jidFromPhone('+6281234567890')).toBe('6281234567890@s.whatsapp.net');
  });
});

describe('createRecentIds', () => {
  it('reports repeats and forgets the oldest beyond its limit', () => {
    const ids = createRecentIds(2);
    expect(ids.add('a')).toBe(true);
    expect(ids.add('a')).toBe(false);
    expect(ids.add('b')).toBe(true);
    expect(ids.add('c')).toBe(true);
    expect(ids.size).toBe(2);
    expect(ids.add('a')).toBe(true); // 'a' was the oldest and is forgotten
    expect(ids.add('c')).toBe(false);
    ids.delete('c');
    expect(ids.add('c')).toBe(true);
  });
});

describe('formatPairingCode', () => {
  it('groups the eight characters as WhatsApp shows them', () => {
    expect(formatPairingCode('abcd1234')).toBe('ABCD-1234');
    expect(formatPairingCode('ABCD-1234')).toBe('ABCD-1234');
  });
});

describe('printQrToTerminal', () => {
  it('draws a compact QR of block characters', () => {
    let drawn = '';
    printQrToTerminal('2@Xk2Fb7Lq9w,noiseKeyB64=,identityKeyB64=,advB64=,1', (text) => (drawn += text));
    const rows = drawn.trimEnd().split('\n');
    expect(drawn).toMatch(/[▀▄█]/);
    // small: two QR modules per text row, so well under a 24-row terminal for a short payload
    expect(rows.length).toBeGreaterThan(10);
    expect(rows.length).toBeLessThan(40);
    expect(new Set(rows.map((row) => row.length)).size).toBe(1);
  });
});
