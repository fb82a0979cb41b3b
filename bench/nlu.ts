/**
 * Throughput of the language layer: parses many varied chat messages (generated from templates)
 * against the demo catalogue on one core and prints messages per second. Goal: >= 20,000 msg/s.
 */
import { demoCatalog } from '../src/demo/catalog.js';
import { createCatalog } from '../src/language/catalog.js';
import { understand } from '../src/language/understand.js';

const GOAL_PER_SECOND = 20_000;

/** Deterministic pseudo-random numbers so every run parses the same messages. */
function createRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state * 1664525 + 1013904223) >>> 0;
    return state / 2 ** 32;
  };
}

const PRODUCTS = ['beras', 'berasss', 'gula', 'gual pasir', 'migor', 'mnyak goreng', 'minyak', 'telor', 'telur', 'tepung', 'indomie',
  'mie', 'gas 3kg', 'gas melon', 'bamer', 'baput', 'bawang merah', 'cabe rawit', 'kecap', 'susu kental manis', 'aqua galon',
  'teh celup', 'kopi', 'beras premium', 'beras sphp', 'daging ayam', 'garam', 'bawang', 'sabun', 'rokok'];
const QUANTITIES = ['1kg', '2 kg', '5kg', 'sekilo', 'setengah kilo', '2 setengah kilo', '1,5 kg', '2 liter', 'seliter', '10', '2',
  'sepapan', '1 papan', 'selusin', '3 bungkus', '1 dus', '2 ons', '500 gram', '10 ribu', '15rb', '20k', 'Rp10.000', 'ceban',
  'goceng', 'dua kilo', 'tiga', '1/2 kg', 'seperempat', '2 tabung', '3 renceng', ''];
const ORDER_OPENERS = ['', 'kak ', 'kak mau pesen ', 'pesan ', 'mau beli ', 'tlg kirim ', 'assalamualaikum kak, mau order ', 'sy mau ambil ', 'minta '];
const CLOSERS = ['', ' ya', ' ya kak', ' dong', ' aja', ' 🙏', ' makasih'];
const JOINERS = [', ', ' sm ', ' sama ', ' dan ', ' + ', '\n', ' '];
const FIXED = [
  'saldo simpanan sy brp', 'cek saldo dong', 'simpanan wajib sy brp', 'status pesanan', 'pesanan sy udh smpe mana',
  'orderan sy gmn', 'kapan dikirim kak?', 'gajadi deh, batalin', 'cancel aja', 'menu', 'cara pesan gmn', '?', 'halo kak',
  'assalamualaikum', 'pagi kak', 'p', 'permisi', 'cuaca hari ini gmn', 'wkwkwk', 'jual motor gak?', 'ya', 'iyaa kak', 'ok',
  'tidak', 'gak usah', '2', 'dua', 'yang kedua', 'no 3', 'in english please', 'bahasa indonesia',
  'Jl. Merdeka No. 5 RT 02/RW 03, dekat masjid', '123456', '',
];

function pick<T>(list: readonly T[], random: () => number): T {
  return list[Math.floor(random() * list.length)];
}

function generateMessages(count: number): string[] {
  const random = createRandom(42);
  const messages: string[] = [];
  for (let i = 0; i < count; i++) {
    const roll = random();
    if (roll < 0.2) {
      messages.push(pick(FIXED, random));
    } else if (roll < 0.35) {
      const product = pick(PRODUCTS, random);
      messages.push(pick(['harga ', 'brp ', 'hrg ', ''], random) + product + ' ' + pick(QUANTITIES, random) + pick([' brp?', ' berapa', ' brp ya kak', '?'], random));
    } else {
      const n = 1 + Math.floor(random() * 4);
      const items: string[] = [];
      for (let k = 0; k < n; k++) {
        const product = pick(PRODUCTS, random);
        const qty = pick(QUANTITIES, random);
        items.push(random() < 0.7 ? `${product} ${qty}` : `${qty} ${product}`);
      }
      let body = items[0];
      for (let k = 1; k < items.length; k++) body += pick(JOINERS, random) + items[k];
      messages.push(pick(ORDER_OPENERS, random) + body + pick(CLOSERS, random));
    }
  }
  return messages;
}

function run(): void {
  const catalog = createCatalog(demoCatalog);
  const messages = generateMessages(20_000);
  // Warm up the JIT and the per-catalogue word cache, as a running server would be.
  for (const m of messages) understand(m, catalog);
  const rounds = 10;
  let checksum = 0;
  const start = process.hrtime.bigint();
  for (let r = 0; r < rounds; r++) {
    for (const m of messages) checksum += understand(m, catalog).items.length;
  }
  const seconds = Number(process.hrtime.bigint() - start) / 1e9;
  const parsed = rounds * messages.length;
  const perSecond = Math.round(parsed / seconds);
  const microseconds = (seconds / parsed) * 1e6;
  // Cold run: a fresh catalogue, so every word is classified for the first time.
  const cold = createCatalog(demoCatalog);
  const coldStart = process.hrtime.bigint();
  for (const m of messages) understand(m, cold);
  const coldSeconds = Number(process.hrtime.bigint() - coldStart) / 1e9;
  console.log(`nlu: ${parsed} messages in ${seconds.toFixed(2)} s = ${perSecond.toLocaleString('en-US')} msg/s (${microseconds.toFixed(1)} µs/msg, items ${checksum})`);
  console.log(`nlu cold: ${messages.length} messages, fresh catalogue, ${Math.round(messages.length / coldSeconds).toLocaleString('en-US')} msg/s`);
  console.log(perSecond >= GOAL_PER_SECOND ? `ok: goal ${GOAL_PER_SECOND.toLocaleString('en-US')} msg/s met` : `BELOW GOAL ${GOAL_PER_SECOND.toLocaleString('en-US')} msg/s`);
  if (perSecond < GOAL_PER_SECOND) process.exitCode = 1;
}

run();
