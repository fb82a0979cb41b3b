import type { ChannelName } from '../channels/types.js';
import type { Models } from './models/index.js';

/** A business number's coop is re-read at most this often (numbers change rarely; every webhook asks). */
const NUMBER_TTL_MS = 60_000;

export interface CoopNumberCache {
  /** The id of the coop that owns this business number on the channel, if any (which coop an inbound message is for). */
  get(channel: ChannelName, number: string): Promise<string | undefined>;
}

export function createCoopNumberCache(models: Models, clock: () => Date = () => new Date()): CoopNumberCache {
  const entries = new Map<string, { at: number; coopId: string | undefined }>();
  return {
    async get(channel, number) {
      const key = `${channel}:${number}`;
      const now = clock().getTime();
      const cached = entries.get(key);
      if (cached && now - cached.at < NUMBER_TTL_MS && now >= cached.at) return cached.coopId;
      const field = channel === 'sms' ? 'numbers.sms' : 'numbers.whatsapp';
      const coop = await models.Coop.findOne({ [field]: number }, { _id: 1 }).lean();
      entries.set(key, { at: now, coopId: coop?._id });
      return coop?._id;
    },
  };
}
