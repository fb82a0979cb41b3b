import { describe, expect, test } from '@jest/globals';
import { createBatcher, type BatchOutcome } from '../../src/shared/batcher.js';

/** A promise the test resolves by hand. */
function deferred() {
  let resolve!: () => void;
  const promise = new Promise<void>((done) => (resolve = done));
  return { promise, resolve };
}

describe('batcher', () => {
  test('items handed over together share a batch; items arriving while it runs share the next one', async () => {
    const batches: number[][] = [];
    const gate = deferred();
    const batcher = createBatcher<number, number>(async (items) => {
      batches.push(items);
      if (batches.length === 1) await gate.promise;
      return items.map((item) => ({ ok: true, value: item * 10 }));
    });
    const first = [batcher.run(1), batcher.run(2)];
    await Promise.resolve();
    await Promise.resolve();
    const later = [batcher.run(3), batcher.run(4), batcher.run(5)];
    expect(batches).toEqual([[1, 2]]);
    gate.resolve();
    expect(await Promise.all([...first, ...later])).toEqual([10, 20, 30, 40, 50]);
    expect(batches).toEqual([[1, 2], [3, 4, 5]]);
  });

  test('an item that fails fails alone; a batch that throws fails all its items; the batcher keeps working', async () => {
    let throwNext = false;
    const batcher = createBatcher<number, number>(async (items) => {
      if (throwNext) throw new Error('round trip failed');
      return items.map((item): BatchOutcome<number> => (item < 0 ? { ok: false, error: new Error(`refused ${item}`) } : { ok: true, value: item }));
    });
    const settled = await Promise.allSettled([batcher.run(1), batcher.run(-2), batcher.run(3)]);
    expect(settled.map((result) => result.status)).toEqual(['fulfilled', 'rejected', 'fulfilled']);
    expect((settled[1] as PromiseRejectedResult).reason).toEqual(new Error('refused -2'));
    throwNext = true;
    await expect(Promise.all([batcher.run(4), batcher.run(5)])).rejects.toThrow('round trip failed');
    throwNext = false;
    expect(await batcher.run(6)).toBe(6);
  });

  test('a batch never holds more than its limit', async () => {
    const sizes: number[] = [];
    const batcher = createBatcher<number, number>(async (items) => {
      sizes.push(items.length);
      return items.map((item) => ({ ok: true, value: item }));
    }, 2);
    await Promise.all([1, 2, 3, 4, 5].map((item) => batcher.run(item)));
    expect(sizes).toEqual([2, 2, 1]);
  });
});
