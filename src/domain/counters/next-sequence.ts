import type { ClientSession } from 'mongoose';
import type { Models } from '../../db/models/index.js';

/**
 * Atomically advances a per-coop counter and returns the new value (1, 2, …). With `count`,
 * reserves that many numbers at once and returns the last of them.
 */
export async function nextSequence(models: Models, coopId: string, name: string, session?: ClientSession, count = 1): Promise<number> {
  const id = `${coopId}:${name}`;
  const counter = await models.Counter.findOneAndUpdate(
    { _id: id },
    { $inc: { seq: count }, $setOnInsert: { coopId, name } },
    { upsert: true, returnDocument: 'after', session },
  ).lean();
  if (!counter) throw new Error(`Counter ${id} did not advance`);
  return counter.seq;
}
