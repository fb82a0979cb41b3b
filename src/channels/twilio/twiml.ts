/**
 * TwiML for a messaging webhook's answer: one <Message> per text, or an empty <Response/>.
 * Built as a string (the same bytes as the twilio library's MessagingResponse) because the
 * library's XML builder cost about 5% of a webhook request; characters XML 1.0 cannot carry
 * are dropped here, where the builder would throw and the request would end in a 500.
 */
const XML_DECLARATION = '<?xml version="1.0" encoding="UTF-8"?>';

// Control characters other than tab and newline, lone surrogates, U+FFFE and U+FFFF.
const NOT_XML = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;

const ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '\r': '&#xD;' };

export function messagingTwiml(texts: readonly string[]): string {
  if (texts.length === 0) return `${XML_DECLARATION}<Response/>`;
  const messages = texts.map((text) => `<Message>${text.replace(NOT_XML, '').replace(/[&<>\r]/g, (c) => ESCAPES[c])}</Message>`);
  return `${XML_DECLARATION}<Response>${messages.join('')}</Response>`;
}
