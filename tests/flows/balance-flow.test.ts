import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import { measureGsm7, GSM7_SEGMENT } from '../../src/engine/render/gsm7.js';
import { SITI, STRANGER, BUDI, openChatHarness, type ChatHarness } from './chat-harness.js';

let chat: ChatHarness;
beforeAll(async () => {
  chat = await openChatHarness();
});
afterAll(async () => {
  await chat?.close();
});

describe('balance flow', () => {
  test('Siti sees pokok, wajib, sukarela, total and the last three entries on the simulator, without a PIN (done-when)', async () => {
    const replies = await chat.send(SITI, 'cek saldo simpanan');
    expect(replies).toHaveLength(1);
    const [reply] = replies;
    expect(reply).toContain('Pokok: Rp100.000');
    expect(reply).toContain('Wajib: Rp240.000');
    expect(reply).toContain('Sukarela: Rp250.000');
    expect(reply).toContain('Total: Rp590.000');
    expect(reply).toContain('KDMP-0001');
    // Newest first, in WIB: 5 Nov 2026 02:00 UTC is 09.00 WIB.
    const entries = reply.split('\n').filter((line) => line.startsWith('- '));
    expect(entries).toEqual(['- 5 Nov 09.00 WIB wajib Rp20.000', '- 5 Okt 09.00 WIB wajib Rp20.000', '- 15 Sep 10.00 WIB sukarela Rp100.000']);
  });

  test('a phone that is not a member is told how to join and sees no balance', async () => {
    for (const phone of [STRANGER, BUDI]) {
      const reply = (await chat.send(phone, 'cek saldo simpanan')).join('\n');
      expect(reply).toContain('belum terdaftar sebagai anggota');
      expect(reply).not.toMatch(/Rp\d/);
    }
  });

  test('on SMS the coop asks for the PIN and the balance fits one GSM-7 segment', async () => {
    const ask = await chat.send(SITI, 'saldo', { channel: 'sms' });
    expect(ask.join('\n')).toContain('PIN');
    const [reply, ...more] = await chat.send(SITI, '1234', { channel: 'sms' });
    expect(more).toHaveLength(0);
    expect(reply).toContain('Pokok Rp100.000');
    expect(reply).toContain('Wajib Rp240.000');
    expect(reply).toContain('Sukarela Rp250.000');
    expect(reply).toContain('Total Rp590.000');
    const septets = measureGsm7(reply);
    expect(septets).toBeDefined();
    expect(septets!).toBeLessThanOrEqual(GSM7_SEGMENT);
    expect(reply).not.toContain('*');
  });

  test('the SMS balance also fits one segment in English', async () => {
    await chat.send(SITI, 'english', { channel: 'sms' });
    await chat.send(SITI, 'saldo', { channel: 'sms' });
    const [reply] = await chat.send(SITI, '1234', { channel: 'sms' });
    expect(reply).toContain('Savings KDMP-0001');
    expect(measureGsm7(reply)!).toBeLessThanOrEqual(GSM7_SEGMENT);
    await chat.send(SITI, 'bahasa indonesia', { channel: 'sms' });
  });

  test('five wrong PINs lock balance checks for 30 minutes', async () => {
    await chat.send(SITI, 'saldo', { channel: 'sms' });
    for (let left = 4; left >= 1; left--) {
      expect((await chat.send(SITI, '0000', { channel: 'sms' })).join('\n')).toContain(`Sisa percobaan: ${left}`);
    }
    const locked = (await chat.send(SITI, '0000', { channel: 'sms' })).join('\n');
    expect(locked).toContain('dikunci');
    const member = await chat.models.Member.findOne({ phone: SITI }).lean();
    expect(member!.pinLockedUntil!.getTime()).toBe(chat.clock.now().getTime() + 30 * 60_000);

    // Even the right PIN, and even on another channel, is refused while locked.
    chat.clock.advance(29 * 60_000);
    expect((await chat.send(SITI, 'saldo', { channel: 'sms' })).join('\n')).toContain('dikunci');
    expect((await chat.send(SITI, 'saldo')).join('\n')).toContain('dikunci');

    chat.clock.advance(2 * 60_000);
    await chat.send(SITI, 'saldo', { channel: 'sms' });
    expect((await chat.send(SITI, '1234', { channel: 'sms' })).join('\n')).toContain('Sukarela Rp250.000');
  });

  test('a PIN that is not digits is asked again', async () => {
    await chat.send(SITI, 'saldo', { channel: 'sms' });
    expect((await chat.send(SITI, 'pin saya lupa', { channel: 'sms' })).join('\n')).toContain('4-6 angka');
    expect((await chat.send(SITI, '1234', { channel: 'sms' })).join('\n')).toContain('Total Rp590.000');
  });

  test('"SALDO 1234" gives the PIN with the request, and "PIN saya 1234" answers the question', async () => {
    expect((await chat.send(SITI, 'SALDO 1234', { channel: 'sms' })).join('\n')).toContain('Total Rp590.000');
    await chat.send(SITI, 'saldo', { channel: 'sms' });
    expect((await chat.send(SITI, 'PIN saya 1234', { channel: 'sms' })).join('\n')).toContain('Total Rp590.000');
  });

  test('a stranger\'s "saldo 1234" shows no balance', async () => {
    const reply = (await chat.send(STRANGER, 'saldo 1234', { channel: 'sms' })).join('\n');
    expect(reply).toContain('belum terdaftar sebagai anggota');
    expect(reply).not.toMatch(/Rp\d/);
  });
});
