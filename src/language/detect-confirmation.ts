/**
 * Yes or no to a question that asks to confirm an action, with the action's own word allowed
 * ("iya batalin aja", "ok batalin") and negation winning over everything ("jangan, gak jadi
 * batal", "gak usah"): a refusal in words is never read as consent. A yes followed by
 * anything else ("ok tapi ganti alamat", "yes but change the address") is not consent
 * either: the question is asked again rather than an order cancelled the resident meant to edit.
 */
const NEGATIONS = new Set(['tidak', 'jangan', 'gajadi', 'gausah', 'bukan', 'no', 'nope', 'dont', 'never']);
const AFFIRMATIONS = new Set(['ya', 'ok', 'oke', 'yes', 'yup', 'betul', 'benar', 'boleh', 'sip', 'siap', 'lanjut', 'setuju']);

/** What may follow the yes: the action itself, politeness, the order it is about. */
const CONSENT_TAIL = new Set([
  ...AFFIRMATIONS,
  'batal', 'cancel', 'hapus', 'aja', 'saja', 'deh', 'dong', 'kak', 'ya', 'sudah', 'tolong', 'please', 'pls', 'makasih', 'terima', 'kasih', 'thanks', 'thank', 'you',
  'pesan', 'pesanan', 'order', 'saya', 'itu', 'ini', 'nya', 'mau', 'tersebut', 'tadi', 'yang', 'the', 'it', 'my', 'that', 'one', 'nomor', 'no', 'sure', 'confirm', 'correct', 'right', 'go', 'ahead', 'yakin',
]);

export function detectConfirmation(words: readonly (string | undefined)[]): 'yes' | 'no' | undefined {
  const present = words.filter((word): word is string => word !== undefined && word !== '');
  if (present.some((word) => NEGATIONS.has(word))) return 'no';
  if (present.length > 0 && AFFIRMATIONS.has(present[0]) && present.every((word) => CONSENT_TAIL.has(word))) return 'yes';
  return undefined;
}
