import { describe, expect, test } from '@jest/globals';
import { GSM7_SEGMENT, measureGsm7, toGsm7 } from '../../src/engine/render/gsm7.js';

// What staff type into coop data (opening hours, addresses, product and account names) and
// what phones send: look-alikes become their GSM-7 twin instead of vanishing.
describe('toGsm7 keeps the meaning of typographic characters', () => {
  test.each([
    ['en dash in opening hours', '07.00–20.00', '07.00-20.00'],
    ['em dash', 'Senin—Sabtu', 'Senin-Sabtu'],
    ['non-breaking hyphen in an account number', '0123‑01‑000123', '0123-01-000123'],
    ['figure dash and minus sign', '0812‒3 −5', '0812-3 -5'],
    ['soft hyphen', 'Ter\u00adigu', 'Terigu'],
    ['curly and low quotes', '‘Lokal’ “Merah” „Putih‟', '\'Lokal\' "Merah" "Putih"'],
    ['guillemets and primes', '«KDMP» ‹a› 5′ 6″', '"KDMP" \'a\' 5\' 6"'],
    ['backtick and acute accent', '`kopi´', "'kopi'"],
    ['non-breaking and narrow spaces', 'No.\u00a010,\u202fRT\u200902', 'No. 10, RT 02'],
    ['zero-width characters', 'Rp\u200b5.000\u200d\ufeff', 'Rp5.000'],
    ['line separator', 'Jl. Kenanga\u2028Way Halim', 'Jl. Kenanga\nWay Halim'],
    ['accents GSM-7 has', 'Café Señor Ñandú Ä', 'Café Señor Ñandu Ä'],
    ['accents GSM-7 lacks', 'Qādir Brûlée ő', 'Qadir Brulée o'],
    ['a decomposed accent', 'Cafe\u0301', 'Cafe'],
    ['letters without a decomposition', 'Łódź Œuf đ ı', 'Lodz OEuf d i'],
    ['compatibility forms', 'Ｋｏｐｉ ½ kg ™ ㎏', 'Kopi 1/2 kg TM kg'],
    ['symbols with a plain twin', '2 × 3 … • ©', '2 x 3 ... - (c)'],
    ['emoji and their modifiers are dropped', 'Halo 👋🏽 1️⃣ ✅', 'Halo 1 '],
  ])('%s', (_name, input, expected) => {
    const output = toGsm7(input);
    expect(output).toBe(expected);
    expect(measureGsm7(output)).toBeDefined();
  });

  test('every character of the Basic Multilingual Plane, and emoji, comes out as GSM-7', () => {
    const outside: string[] = [];
    for (let code = 0; code <= 0xffff; code++) {
      if (code >= 0xd800 && code <= 0xdfff) continue; // lone surrogates are not characters
      const char = String.fromCodePoint(code);
      if (measureGsm7(toGsm7(char)) === undefined) outside.push(code.toString(16));
    }
    for (const char of ['😀', '🛒', '👨‍👩‍👧', '🇮🇩', '𝐁𝐨𝐥𝐝']) if (measureGsm7(toGsm7(char)) === undefined) outside.push(char);
    expect(outside).toEqual([]);
  });

  test('text already in GSM-7 is left alone', () => {
    const text = 'Saldo KDMP-0001: Pokok Rp100.000 {a} [b] ~c | €5 ^ \\ @ £ $ ¥ § ¿ ¡';
    expect(toGsm7(text)).toBe(text);
    expect(measureGsm7(text)).toBeLessThanOrEqual(GSM7_SEGMENT);
  });
});
