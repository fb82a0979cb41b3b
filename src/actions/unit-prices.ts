import type { ParamValue } from '../engine/reply-message.js';

/** A product's prices on one line: "Rp30.000/kg, Rp2.000/butir, Rp57.000/papan". */
export function unitPrices(units: readonly { code: string; priceRp: number }[]): ParamValue {
  return { list: units.map((unit) => ({ key: 'order:unit_price', params: { unit: unit.code, price: { money: unit.priceRp } } })), inline: true };
}
