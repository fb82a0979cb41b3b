/** Where an outbox item's QR code is served as PNG (public: Twilio fetches it; the token is random). */
export const QR_CODE_ROUTE = '/media/qr/:token.png';

export function qrCodePath(token: string): string {
  return `/media/qr/${token}.png`;
}
