import { beforeAll, describe, expect, test } from '@jest/globals';
import { createConversation, type Conversation } from '../../src/engine/conversation.js';
import type { FlowBook } from '../../src/engine/flow-book.js';
import { transition } from '../../src/engine/transition.js';
import type { TransitionInput } from '../../src/engine/transition-types.js';
import { understand } from '../../src/language/understand.js';
import { demoFacts, loadShippedFlows } from './engine-fixtures.js';

let book: FlowBook;
beforeAll(async () => {
  ({ book } = await loadShippedFlows());
});

const facts = demoFacts();
const message = (text: string): TransitionInput => ({ kind: 'message', text, understanding: understand(text, facts.catalog.index), facts });

/** Feeds messages one by one, as the dispatcher would (without effects). */
function run(conversation: Conversation, ...texts: string[]) {
  let current = conversation;
  let last = transition(book, current, message(texts[0]));
  for (const text of texts) {
    last = transition(book, current, message(text));
    current = last.conversation;
  }
  return last;
}

describe('transition()', () => {
  test('is pure: same input, same output, and the given conversation is not changed', () => {
    const start = createConversation(book.home, 'id');
    const frozen = structuredClone(start);
    const first = transition(book, start, message('pesan beras 5 kg sama minyak 2 liter'));
    const second = transition(book, start, message('pesan beras 5 kg sama minyak 2 liter'));
    expect(second).toEqual(first);
    expect(start).toEqual(frozen);
    expect(first.conversation).toMatchObject({ flow: 'order', state: 'fulfilment' });
    expect(first.conversation.cart).toEqual([
      { productId: 'BERAS-MED', unit: 'kg', quantity: 5 },
      { productId: 'MINYAKITA', unit: 'liter', quantity: 2 },
    ]);
    expect(first.replies.map((reply) => reply.key)).toEqual(['order:cart', 'order:ask_fulfilment', 'order:cart_hint']);
    expect(first.replies[0].params?.subtotal).toEqual({ money: 98_900 });
    expect(first.effects).toEqual([]);
  });

  test('confirming returns the order.place effect instead of doing anything', () => {
    const result = run(createConversation(book.home, 'id'), 'beras 5 kg', 'ambil', 'cod', 'ya');
    expect(result.effects).toEqual([{ action: 'order.place', params: {} }]);
    expect(result.conversation).toMatchObject({ flow: 'order', state: 'placing', vars: { fulfilment: 'pickup', payment: 'cod' } });
  });

  test('an effect outcome is an event input', () => {
    const placing = run(createConversation(book.home, 'id'), 'beras 5 kg', 'ambil', 'cod', 'ya').conversation;
    const placed = transition(book, placing, { kind: 'event', event: { name: 'order.placed', data: { number: 1001, total: { money: 67_500 }, payment: { t: 'order:payment_method.cod' } } }, facts });
    expect(placed.matched).toBe(true);
    expect(placed.replies[0]).toEqual({ key: 'order:placed', params: { number: 1001, total: { money: 67_500 }, payment: { t: 'order:payment_method.cod' } } });
    expect(placed.conversation).toMatchObject({ flow: 'menu', state: 'idle', cart: [], vars: {} });
    const stray = transition(book, placed.conversation, { kind: 'event', event: { name: 'order.placed' }, facts });
    expect(stray.matched).toBe(false);
    expect(stray.replies).toEqual([]);
  });

  test('balance routing depends on facts only: members, PIN channels, locks', () => {
    const start = createConversation(book.home, 'id');
    const ask = (f: typeof facts) => transition(book, start, { kind: 'message', text: 'saldo', understanding: understand('saldo', f.catalog.index), facts: f });
    expect(ask(facts).replies.map((reply) => reply.key)).toEqual(['balance:not_member']);
    const member = { memberNumber: 'KDMP-0001', name: 'Siti', sukarelaRp: 1, pinLockedUntil: null };
    expect(ask(demoFacts({ member })).effects).toEqual([{ action: 'savings.load', params: {} }]);
    expect(ask(demoFacts({ member }, 'sms')).replies.map((reply) => reply.key)).toEqual(['balance:ask_pin']);
    const locked = { ...member, pinLockedUntil: new Date(facts.now.getTime() + 60_000) };
    expect(ask(demoFacts({ member: locked }, 'sms')).replies.map((reply) => reply.key)).toEqual(['balance:locked']);
  });

  test('an unknown stored state falls back to home rather than crashing', () => {
    const lost: Conversation = { flow: 'order', state: 'removed_state', vars: {}, cart: [], language: 'id' };
    const result = transition(book, lost, message('halo'));
    expect(result.conversation).toMatchObject({ flow: 'menu', state: 'main' });
  });
});
