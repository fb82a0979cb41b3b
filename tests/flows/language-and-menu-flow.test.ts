import { createExpireCartsJob } from '../../src/jobs/expire-carts.js';
import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import { BUDI, STRANGER, openChatHarness, type ChatHarness } from './chat-harness.js';

let chat: ChatHarness;
beforeAll(async () => {
  chat = await openChatHarness();
});
afterAll(async () => {
  await chat?.close();
});

describe('menu, help and language', () => {
  test('a greeting shows the numbered menu, answerable by digit', async () => {
    const menu = (await chat.send(STRANGER, 'halo kak')).join('\n');
    expect(menu).toContain('KDMP Kelurahan Way Halim Permai');
    expect(menu).toMatch(/1\. Pesan sembako[\s\S]*2\. Cek saldo simpanan[\s\S]*6\. Bantuan/);
    expect((await chat.send(STRANGER, '6')).join('\n')).toContain('Cara pesan');
    await chat.send(STRANGER, 'menu');
    expect((await chat.send(STRANGER, '2')).join('\n')).toContain('belum terdaftar sebagai anggota');
    await chat.send(STRANGER, 'menu');
    expect((await chat.send(STRANGER, '1')).join('\n')).toContain('Pilih kategori');
    await chat.send(STRANGER, 'menu');
    expect((await chat.send(STRANGER, '9')).join('\n')).toContain('Balas dengan salah satu angka');
  });

  test('nonsense gets a polite hint', async () => {
    expect((await chat.send('+6281277777777', 'qwerty zxcv')).join('\n')).toContain('Ketik *MENU*');
  });

  test('price questions answer with today\'s prices', async () => {
    const reply = (await chat.send(STRANGER, 'harga beras berapa')).join('\n');
    expect(reply).toContain('Beras Medium: Rp13.500/kg, Rp11.000/liter');
    const eggs = (await chat.send(STRANGER, 'telor sepapan brp?')).join('\n');
    expect(eggs).toContain('Telur Ayam Ras: Rp30.000/kg, Rp2.000/butir, Rp57.000/papan');
  });

  test('naming the language already in use at the menu keeps it; 5 toggles', async () => {
    await chat.send(STRANGER, 'menu');
    expect((await chat.send(STRANGER, 'bahasa indonesia')).join('\n')).toContain('Pesan sembako');
    expect((await chat.models.Contact.findOne({ phone: STRANGER }).lean())!.language).toBe('id');
    expect((await chat.send(STRANGER, '5')).join('\n')).toContain('Order groceries');
    expect((await chat.send(STRANGER, 'bahasa indonesia')).join('\n')).toContain('Pesan sembako');
  });

  test('"english" switches, is remembered on the contact, and "bahasa indonesia" switches back', async () => {
    expect((await chat.send(BUDI, 'english')).join('\n')).toContain('continue in English');
    expect((await chat.models.Contact.findOne({ phone: BUDI }).lean())!.language).toBe('en');
    const cart = (await chat.send(BUDI, 'beras 5 kg')).join('\n');
    expect(cart).toContain('Your cart');
    expect(cart).toContain('Pick up at the shop');

    // The language outlives the conversation: after the session is swept, English stays.
    chat.clock.advance(3 * 60 * 60 * 1000);
    expect(await createExpireCartsJob().run(chat.jobContext())).toBeGreaterThan(0);
    expect((await chat.send(BUDI, 'menu')).join('\n')).toContain('Reply with a number');

    expect((await chat.send(BUDI, 'bahasa indonesia')).join('\n')).toContain('Bahasa Indonesia');
    expect((await chat.models.Contact.findOne({ phone: BUDI }).lean())!.language).toBe('id');
    expect((await chat.send(BUDI, 'menu')).join('\n')).toContain('Balas dengan angka');
  });

  test('menu option 5 toggles the language', async () => {
    await chat.send(STRANGER, 'menu');
    expect((await chat.send(STRANGER, '5')).join('\n')).toContain('continue in English');
    expect((await chat.send(STRANGER, '5')).join('\n')).toContain('Bahasa Indonesia');
  });
});
