import { describe, expect, test } from '@jest/globals';
import { detectSubscription } from '../../src/language/detect-subscription.js';

describe('detectSubscription: only a message that is STOP or MULAI by itself', () => {
  test.each([
    ['STOP', 'stop'],
    ['stop.', 'stop'],
    ['  Berhenti!! ', 'stop'],
    ['MULAI', 'start'],
    ['mulai 🙏', 'start'],
    ['start', 'start'],
    ['stop dulu ya, mau pikir-pikir', undefined],
    ['mulai pesan beras', undefined],
    ['jangan stop', undefined],
    ['', undefined],
    ['ya', undefined],
  ])('%j -> %s', (text, expected) => {
    expect(detectSubscription(text)).toBe(expected);
  });
});
