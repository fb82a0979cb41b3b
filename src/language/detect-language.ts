/** A request to switch the conversation language: "in english please" -> en, "bahasa indonesia" -> id. */
export function detectLanguage(words: readonly string[]): 'id' | 'en' | undefined {
  let english = false;
  let indonesian = false;
  for (const w of words) {
    if (w === 'english') english = true;
    else if (w === 'indonesia') indonesian = true;
  }
  if (english) return 'en';
  // "indonesia" inside a longer message is usually about something else.
  if (indonesian && words.length <= 5) return 'id';
  return undefined;
}
