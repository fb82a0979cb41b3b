/**
 * A message that is only STOP or MULAI (any case, with punctuation): the resident turns
 * reminders off or back on. Only the whole message counts, so "stop dulu ya, mau pikir"
 * in a conversation is never read as unsubscribing.
 */
const STOP_WORDS = new Set(['stop', 'berhenti', 'unsubscribe', 'unreg']);
const START_WORDS = new Set(['mulai', 'start', 'subscribe']);

export function detectSubscription(text: string): 'stop' | 'start' | undefined {
  const word = text
    .trim()
    .toLowerCase()
    .replace(/^[\s\p{P}\p{S}]+|[\s\p{P}\p{S}]+$/gu, '');
  if (STOP_WORDS.has(word)) return 'stop';
  if (START_WORDS.has(word)) return 'start';
  return undefined;
}
