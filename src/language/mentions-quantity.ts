import { analyzeMessage } from './analyze-message.js';
import type { Catalog } from './catalog.js';
import { extractItems } from './extract-items.js';

/** True when a product the text names carries a quantity or an amount ("beras 2 kg", "telur 15rb"), not just the name. */
export function mentionsQuantity(text: string, catalog: Catalog): boolean {
  const { frames } = extractItems(analyzeMessage(text, catalog), catalog);
  return frames.some((frame) => frame.quantity !== undefined);
}
