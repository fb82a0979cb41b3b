import { createHmac } from 'node:crypto';

export interface SmsReceived {
  /** The event id: the app keeps it across its retries, the service deduplicates on it. */
  eventId: string;
  from: string;
  text: string;
}

/** Headers "SMS Gateway for Android" signs a webhook with: hex HMAC-SHA256 over raw body + timestamp. */
export function signGatewayWebhook(rawBody: string, signingKey: string, now = new Date()): Record<string, string> {
  const timestamp = String(Math.floor(now.getTime() / 1000));
  const signature = createHmac('sha256', signingKey).update(rawBody).update(timestamp).digest('hex');
  return { 'content-type': 'application/json', 'x-timestamp': timestamp, 'x-signature': signature };
}

/** The sms:received webhook as the app posts it to /webhooks/sms-gateway/<coop slug>. */
export function smsReceivedBody(sms: SmsReceived): string {
  return JSON.stringify({
    deviceId: 'fake-device-0001',
    event: 'sms:received',
    id: sms.eventId,
    webhookId: 'fake-webhook-0001',
    payload: { messageId: `content-${sms.text.length}`, message: sms.text, phoneNumber: sms.from, simNumber: 1, receivedAt: new Date().toISOString() },
  });
}

/** Posts one signed sms:received event; resolves the HTTP status and the JSON answer. */
export async function postSmsReceived(base: string, coopSlug: string, signingKey: string, sms: SmsReceived): Promise<{ status: number; body: unknown }> {
  const raw = smsReceivedBody(sms);
  const response = await fetch(`${base}/webhooks/sms-gateway/${coopSlug}`, { method: 'POST', headers: signGatewayWebhook(raw, signingKey), body: raw });
  const text = await response.text();
  let body: unknown = text;
  try {
    body = JSON.parse(text);
  } catch {
    // Not JSON: keep the text for the failure message.
  }
  return { status: response.status, body };
}
