import type { MatchSpec } from './flow-schema.js';
import type { TransitionInput } from './transition-types.js';

const PIN_PATTERN = /^\d{4,6}$/;
/** Words that may stand around a PIN: "PIN 1234", "pin saya 1234", "SALDO 1234" (as SMS banking is typed). */
const PIN_WORDS = new Set(['pin', 'saya', 'sy', 'ku', 'nya', 'kak', 'saldo', 'cek', 'simpanan', 'ini', 'my', 'is', 'the', 'ya', 'balance']);

/** The PIN a message gives: its one 4–6 digit number, with nothing else but the words above. */
export function readPin(text: string): string | undefined {
  const words = text.toLowerCase().split(/[\s:=,.]+/).filter(Boolean);
  const digits = words.filter((word) => PIN_PATTERN.test(word));
  if (digits.length !== 1 || !words.every((word) => PIN_PATTERN.test(word) || PIN_WORDS.has(word))) return undefined;
  return digits[0];
}

/** True when the input meets every condition in the spec. Message specs never match events and vice versa. */
export function matchInput(spec: MatchSpec, input: TransitionInput): boolean {
  if (input.kind === 'event') return spec.event !== undefined && spec.event === input.event.name && Object.keys(spec).length === 1;
  if (spec.event !== undefined) return false;
  const { understanding, text } = input;
  if (spec.intent !== undefined) {
    const intents = Array.isArray(spec.intent) ? spec.intent : [spec.intent];
    if (!intents.includes(understanding.intent)) return false;
  }
  if (spec.items && !namesItems(input)) return false;
  if (spec.edit !== undefined && understanding.edit !== spec.edit) return false;
  if (spec.choice !== undefined) {
    const choice = understanding.reply?.choice;
    if (choice === undefined || (spec.choice !== 'any' && choice !== spec.choice)) return false;
  }
  if (spec.yes && !understanding.reply?.yes) return false;
  if (spec.no && !understanding.reply?.no) return false;
  if (spec.language && !understanding.language) return false;
  if (spec.question && !understanding.question) return false;
  if (spec.asks !== undefined && understanding.asks !== spec.asks) return false;
  if (spec.changeRequest !== undefined && understanding.changeRequest !== spec.changeRequest) return false;
  if (spec.confirmation !== undefined && understanding.confirmation !== spec.confirmation) return false;
  if (spec.quantityCorrection && !understanding.quantityCorrection) return false;
  if (spec.subscription !== undefined && understanding.subscription !== spec.subscription) return false;
  if (spec.words && !spec.words.some((phrase) => containsPhrase(understanding.normalized, phrase))) return false;
  if (spec.pin && readPin(text) === undefined) return false;
  if (spec.text && text.trim().length === 0) return false;
  return true;
}

/** The message names products: resolved items, or ones the bot must ask about. Price questions do not count. */
export function namesItems(input: TransitionInput): boolean {
  if (input.kind !== 'message') return false;
  const { understanding } = input;
  if (understanding.intent === 'price') return false;
  return understanding.items.length > 0 || understanding.clarifications.some((clarification) => clarification.kind !== 'unknown_product');
}

function containsPhrase(normalized: string, phrase: string): boolean {
  return ` ${normalized.toLowerCase()} `.includes(` ${phrase.toLowerCase()} `);
}
