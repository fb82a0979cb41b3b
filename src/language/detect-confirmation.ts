/**
 * Yes or no to a question that asks to confirm an action, with the action's own word allowed
 * ("iya batalin aja", "ok batalin") and negation winning over everything ("jangan, gak jadi
 * batal", "gak usah"): a refusal in words is never read as consent.
 */
const NEGATIONS = new Set(['tidak', 'jangan', 'gajadi', 'bukan', 'no', 'nope', 'dont', 'never']);
const AFFIRMATIONS = new Set(['ya', 'ok', 'oke', 'yes', 'yup', 'betul', 'benar', 'boleh', 'sip', 'siap', 'lanjut', 'setuju']);

export function detectConfirmation(words: readonly (string | undefined)[]): 'yes' | 'no' | undefined {
  const present = words.filter((word): word is string => word !== undefined && word !== '');
  if (present.some((word) => NEGATIONS.has(word))) return 'no';
  if (present.length > 0 && AFFIRMATIONS.has(present[0])) return 'yes';
  return undefined;
}
