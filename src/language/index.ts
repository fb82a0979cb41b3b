/** The language layer's public API: import from here rather than from individual files. */
export type { CatalogProduct, CatalogUnit, Clarification, CartEdit, Intent, ItemRequest, Reply, Understanding } from './types.js';
export { createCatalog, type Catalog } from './catalog.js';
export { understand } from './understand.js';
export { parseToContract, type ContractItem, type ContractResult } from './contract.js';
export { formatRupiah } from './format-rupiah.js';
export { parseQuantity, type Quantity } from './parse-quantity.js';
export { normalizeText } from './normalize-text.js';
export { resolveUnit } from './units.js';
export { mentionsQuantity } from './mentions-quantity.js';
