import qrcode from 'qrcode-terminal';

/**
 * An onQr handler that draws the pairing QR in the terminal with half-height blocks (a
 * WhatsApp QR takes about 59 columns by 31 rows). For the pairing script and development;
 * a running service exposes the QR string (connection.qr) to the admin page instead.
 */
export function printQrToTerminal(qr: string, write: (text: string) => void = (text) => process.stdout.write(text)): void {
  qrcode.generate(qr, { small: true }, (drawing) => write(`${drawing}\n`));
}
