import type { ChannelName } from '../channels/types.js';
import type { CoopSettings } from '../domain/coops/coop-settings.js';
import type { Catalog } from '../language/catalog.js';
import type { CatalogProduct } from '../language/types.js';

/**
 * Read-only data the dispatcher loads before a transition so guards and views stay pure:
 * the coop, its catalogue, who is writing, on which channel, and when.
 */
export interface Facts {
  now: Date;
  channel: ChannelName;
  coop: { id: string; name: string; timezone: string; settings: CoopSettings };
  catalog: { products: CatalogProduct[]; index: Catalog };
  contact: { name?: string; lastAddress?: string };
  member?: { memberNumber: string; name: string; sukarelaRp: number; pinLockedUntil?: Date | null };
}
