/**
 * Normalises a phone number as people write it in Indonesia (0812-3456-7890,
 * 62812..., +62 812 ...) to E.164 (+6281234567890). Returns undefined when it is not one.
 */
export function normalizePhone(raw: string): string | undefined {
  const compact = raw.replace(/[\s\-().]/g, '');
  let e164: string;
  if (compact.startsWith('+')) e164 = compact;
  else if (compact.startsWith('0')) e164 = `+62${compact.slice(1)}`;
  else if (compact.startsWith('62')) e164 = `+${compact}`;
  else return undefined;
  return /^\+[1-9]\d{7,14}$/.test(e164) ? e164 : undefined;
}
