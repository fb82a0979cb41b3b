import { demoCatalog } from './catalog.js';
import { createCatalog, type Catalog } from '../language/catalog.js';
import type { Intent } from '../language/types.js';
import { understand } from '../language/understand.js';

/** One item in the CLI contract: a quantity of a unit, or an amount of money. */
export interface ContractItem {
  product: string;
  unit?: string;
  quantity?: number;
  amountRp?: number;
}

export interface ContractResult {
  intent: Intent;
  items: ContractItem[];
}

let demo: Catalog | undefined;

function getDemoCatalog(): Catalog {
  demo ??= createCatalog(demoCatalog);
  return demo;
}

/** Parses a message against the demo catalogue into the shape the CLI prints and the shared test set checks. */
export function parseToContract(text: string): ContractResult {
  const u = understand(text, getDemoCatalog());
  const items: ContractItem[] = u.items.map((item) =>
    'amountRp' in item
      ? { product: item.productId, amountRp: item.amountRp }
      : { product: item.productId, unit: item.unit, quantity: item.quantity },
  );
  return { intent: u.intent, items };
}
