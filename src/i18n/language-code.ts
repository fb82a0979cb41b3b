/** The languages residents can be answered in: Bahasa Indonesia first, English on request. */
export type LanguageCode = 'id' | 'en';
