import type { CoopDoc } from './models/coop.js';
import type { Models } from './models/index.js';

/** Coop documents (name, zone, settings) are re-read at most this often: they change rarely. */
const COOP_TTL_MS = 60_000;

export interface CoopCache {
  /** The coop, or null when there is no such coop (not cached: it may be created any time). */
  get(coopId: string, now: Date): Promise<CoopDoc | null>;
  invalidate(coopId?: string): void;
}

export function createCoopCache(models: Models): CoopCache {
  const entries = new Map<string, { loadedAt: number; coop: CoopDoc }>();
  return {
    async get(coopId, now) {
      const cached = entries.get(coopId);
      if (cached && now.getTime() - cached.loadedAt < COOP_TTL_MS && now.getTime() >= cached.loadedAt) return cached.coop;
      const coop = await models.Coop.findById(coopId).lean();
      if (coop) entries.set(coopId, { loadedAt: now.getTime(), coop });
      return coop;
    },
    invalidate(coopId) {
      if (coopId) entries.delete(coopId);
      else entries.clear();
    },
  };
}
