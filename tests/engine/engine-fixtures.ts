import { createFlowRegistry } from '../../src/actions/registry.js';
import { demoCatalog } from '../../src/demo/catalog.js';
import { demoCoop } from '../../src/demo/coop.js';
import { DEFAULT_FLOWS_DIR, DEFAULT_LOCALES_DIR } from '../../src/engine/chat-service.js';
import type { Facts } from '../../src/engine/facts.js';
import type { FlowBook } from '../../src/engine/flow-book.js';
import { loadFlows } from '../../src/engine/load-flows.js';
import { loadLocales, type Locales } from '../../src/i18n/load-locales.js';
import { createCatalog } from '../../src/language/catalog.js';
import type { ChannelName } from '../../src/channels/types.js';

/** The shipped flows and locales, loaded once per test file. */
export async function loadShippedFlows(): Promise<{ book: FlowBook; locales: Locales }> {
  const locales = await loadLocales(DEFAULT_LOCALES_DIR);
  const book = await loadFlows(DEFAULT_FLOWS_DIR, createFlowRegistry(), locales.missingIn);
  return { book, locales };
}

const catalog = { products: demoCatalog, index: createCatalog(demoCatalog) };

/** Facts for the demo coop without a database. */
export function demoFacts(overrides: Partial<Facts> = {}, channel: ChannelName = 'whatsapp'): Facts {
  return {
    now: new Date('2026-11-29T03:00:00.000Z'),
    channel,
    coop: { id: demoCoop._id, name: demoCoop.name, timezone: demoCoop.timezone, settings: demoCoop.settings },
    catalog,
    contact: {},
    ...overrides,
  };
}
