/** What one item of a batch came to: its value, or the error that item (alone) failed with. */
export type BatchOutcome<O> = { ok: true; value: O } | { ok: false; error: unknown };

export interface Batcher<I, O> {
  run(item: I): Promise<O>;
}

/**
 * Group commit for any costly round trip: one batch runs at a time, and everything that
 * arrives meanwhile goes into the next one. Idle, an item waits one microtask; busy, the
 * batch grows with the load instead of the queue. `execute` answers per item, in order;
 * if it throws, every item of that batch fails with its error.
 */
export function createBatcher<I, O>(execute: (items: I[]) => Promise<BatchOutcome<O>[]>, maxBatch = 64): Batcher<I, O> {
  let waiting: { item: I; resolve: (value: O) => void; reject: (error: unknown) => void }[] = [];
  let running = false;

  const drain = async (): Promise<void> => {
    while (waiting.length > 0) {
      const batch = waiting.slice(0, maxBatch);
      waiting = waiting.slice(batch.length);
      try {
        const outcomes = await execute(batch.map((entry) => entry.item));
        batch.forEach((entry, index) => {
          const outcome = outcomes[index];
          if (!outcome) entry.reject(new Error('batch gave no outcome for an item'));
          else if (outcome.ok) entry.resolve(outcome.value);
          else entry.reject(outcome.error);
        });
      } catch (error) {
        for (const entry of batch) entry.reject(error);
      }
    }
    running = false;
  };

  return {
    run(item) {
      return new Promise<O>((resolve, reject) => {
        waiting.push({ item, resolve, reject });
        if (running) return;
        running = true;
        // Items handed over in the same tick share the first batch.
        queueMicrotask(() => void drain());
      });
    },
  };
}
