import { DomainRuleError } from '../errors.js';

/**
 * QRIS is EMVCo merchant-presented QR: a string of TLV fields (2-digit tag, 2-digit length,
 * value), ending with tag 63, a CRC-16/CCITT-FALSE over everything before its value. A
 * coop's printed QRIS is static (tag 01 = "11", the payer types the amount); for an order
 * the service makes it dynamic (tag 01 = "12") with the exact amount in tag 54, so the
 * resident's banking app shows the total and cannot get it wrong.
 */

interface TlvField {
  tag: string;
  value: string;
}

const POINT_OF_INITIATION = '01';
const AMOUNT = '54';
const MERCHANT_NAME = '59';
const CRC = '63';

/** CRC-16/CCITT-FALSE (poly 0x1021, initial 0xFFFF), as four upper-case hex digits. */
export function qrisChecksum(text: string): string {
  let crc = 0xffff;
  for (const byte of Buffer.from(text, 'utf8')) {
    crc ^= byte << 8;
    for (let bit = 0; bit < 8; bit++) crc = crc & 0x8000 ? ((crc << 1) ^ 0x1021) & 0xffff : (crc << 1) & 0xffff;
  }
  return crc.toString(16).toUpperCase().padStart(4, '0');
}

/** Checks a static QRIS payload (format, fields, checksum); returns its merchant name. */
export function readStaticQris(payload: string): { merchantName: string } {
  const fields = parseFields(payload);
  if (fields[0]?.tag !== '00' || fields[0].value !== '01') throw invalid('it does not start with the EMVCo payload format indicator 000201');
  const crc = fields.at(-1);
  if (crc?.tag !== CRC || crc.value.length !== 4) throw invalid('it does not end with a checksum (tag 63)');
  if (qrisChecksum(payload.slice(0, -4)) !== crc.value.toUpperCase()) throw invalid('its checksum does not match (a character was changed or lost)');
  if (!fields.some((field) => field.tag === '26' || field.tag === '51')) throw invalid('it names no QRIS merchant account (tag 26 or 51)');
  const name = fields.find((field) => field.tag === MERCHANT_NAME)?.value;
  if (!name) throw invalid('it has no merchant name (tag 59)');
  return { merchantName: name };
}

/** The coop's static QRIS made dynamic for one amount (whole rupiah). */
export function dynamicQris(staticPayload: string, amountRp: number): string {
  readStaticQris(staticPayload);
  if (!Number.isSafeInteger(amountRp) || amountRp <= 0) throw new DomainRuleError('invalid_amount', { amountRp: String(amountRp) });
  const fields = parseFields(staticPayload).filter((field) => field.tag !== CRC && field.tag !== AMOUNT);
  const withAmount: TlvField[] = [];
  for (const field of fields) {
    withAmount.push(field.tag === POINT_OF_INITIATION ? { tag: POINT_OF_INITIATION, value: '12' } : field);
    // Tags stay in ascending order: the amount goes after the currency (53).
    if (field.tag === '53') withAmount.push({ tag: AMOUNT, value: String(amountRp) });
  }
  if (!withAmount.some((field) => field.tag === AMOUNT)) throw invalid('it has no transaction currency (tag 53)');
  if (!withAmount.some((field) => field.tag === POINT_OF_INITIATION)) withAmount.splice(1, 0, { tag: POINT_OF_INITIATION, value: '12' });
  const body = withAmount.map(encodeField).join('') + `${CRC}04`;
  return body + qrisChecksum(body);
}

function parseFields(payload: string): TlvField[] {
  const fields: TlvField[] = [];
  let at = 0;
  while (at < payload.length) {
    const tag = payload.slice(at, at + 2);
    const length = Number(payload.slice(at + 2, at + 4));
    if (!/^\d{2}$/.test(tag) || !/^\d{2}$/.test(payload.slice(at + 2, at + 4)) || at + 4 + length > payload.length) throw invalid(`a field at position ${at} is cut or malformed`);
    fields.push({ tag, value: payload.slice(at + 4, at + 4 + length) });
    at += 4 + length;
  }
  return fields;
}

function encodeField(field: TlvField): string {
  if (field.value.length > 99) throw invalid(`field ${field.tag} is longer than 99 characters`);
  return field.tag + String(field.value.length).padStart(2, '0') + field.value;
}

function invalid(reason: string): DomainRuleError {
  return new DomainRuleError('invalid_qris', { reason });
}
