/** Formats integer rupiah the Indonesian way: 98900 -> "Rp98.900", -5000 -> "-Rp5.000". */
export function formatRupiah(amountRp: number): string {
  const rounded = Math.round(amountRp);
  const digits = String(Math.abs(rounded));
  let grouped = '';
  for (let i = 0; i < digits.length; i++) {
    if (i > 0 && (digits.length - i) % 3 === 0) grouped += '.';
    grouped += digits[i];
  }
  return `${rounded < 0 ? '-' : ''}Rp${grouped}`;
}
