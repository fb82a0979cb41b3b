import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import { BUDI, openChatHarness, type ChatHarness } from './chat-harness.js';

describe('a question or a payment word at the address prompt', () => {
  let chat: ChatHarness;

  beforeAll(async () => {
    chat = await openChatHarness();
  });

  afterAll(async () => {
    await chat.close();
  });

  test.each(['bisa dianter sekarang gak?', 'rekeningnya apa kak', 'bayar pas barang dateng bisa ga', 'ongkirnya brp'])('"%s" is not stored as the address', async (question) => {
    await chat.send(BUDI, 'batal');
    await chat.send(BUDI, 'pesan gula 1 kg');
    await chat.send(BUDI, '2'); // delivery
    const reply = (await chat.send(BUDI, question)).join('\n');
    // A question the shop answers (fee, account, payment) is answered, then the address asked again.
    expect(reply).toMatch(/Alamatnya belum saya catat\. Ongkir Rp5\.000|(Ongkir Rp5\.000|Bisa bayar dengan|Transfer ke BRI)[^]*Ke alamat mana diantar\?/);
    const session = await chat.models.Session.findOne({ phone: BUDI, channel: 'whatsapp' }).lean();
    expect(session?.vars.address).toBeUndefined();
    // The address typed next is the one kept.
    expect((await chat.send(BUDI, 'Jl. Kenanga No. 7 RT 02')).join('\n')).toContain('Bayar pakai apa');
    expect((await chat.models.Session.findOne({ phone: BUDI, channel: 'whatsapp' }).lean())?.vars.address).toBe('Jl. Kenanga No. 7 RT 02');
  });

  test.each([
    ['tf aja', 'transfer'],
    ['cod ya kak', 'cod'],
  ])('"%s" at the address prompt is kept as the payment, and the address asked again', async (answer, payment) => {
    await chat.send(BUDI, 'batal');
    await chat.send(BUDI, 'pesan gula 1 kg');
    await chat.send(BUDI, '2');
    expect((await chat.send(BUDI, answer)).join('\n')).toContain('Ke alamat mana diantar?');
    const session = await chat.models.Session.findOne({ phone: BUDI, channel: 'whatsapp' }).lean();
    expect(session?.vars).toMatchObject({ payment });
    expect(session?.vars.address).toBeUndefined();
    // The payment was given: the address leads straight to the summary.
    expect((await chat.send(BUDI, 'Jl. Kenanga No. 7 RT 02')).join('\n')).toContain('Pengambilan: diantar (Jl. Kenanga No. 7 RT 02)');
  });

  test('an address that happens to carry a question mark is still an address', async () => {
    await chat.send(BUDI, 'batal');
    await chat.send(BUDI, 'pesan gula 1 kg');
    await chat.send(BUDI, '2');
    expect((await chat.send(BUDI, 'Jl. Melati No. 3, dekat masjid ya?')).join('\n')).toContain('Bayar pakai apa');
  });
});
