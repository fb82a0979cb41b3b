import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { displayPath } from '../engine/display-path.js';
import i18next, { type i18n as I18n } from 'i18next';

export const LANGUAGES = ['id', 'en'] as const;
export type Language = (typeof LANGUAGES)[number];

export interface Locales {
  i18n: I18n;
  /** Languages that lack the key ("order:cart_line"); empty when all have it. */
  missingIn(key: string): string[];
  /** Every "namespace:key.path" of a language, for completeness checks. */
  keysOf(language: Language): string[];
}

/** A locale file is broken; the message names file and line. */
export class LocaleError extends Error {
  constructor(readonly file: string, readonly line: number, problem: string) {
    super(`${file}:${line}: ${problem}`);
    this.name = 'LocaleError';
  }
}

type Tree = { [key: string]: string | Tree };

/** Loads locales/<lang>/<namespace>.json into an i18next instance of its own. */
export async function loadLocales(dir: string): Promise<Locales> {
  const resources: Record<string, Record<string, Tree>> = {};
  const namespaces = new Set<string>();
  for (const language of LANGUAGES) {
    resources[language] = {};
    const folder = join(dir, language);
    for (const name of (await readdir(folder)).filter((file) => file.endsWith('.json')).sort()) {
      const path = join(folder, name);
      const text = await readFile(path, 'utf8');
      const namespace = name.slice(0, -'.json'.length);
      resources[language][namespace] = parseJson(displayPath(path), text);
      namespaces.add(namespace);
    }
  }
  const i18n = i18next.createInstance();
  await i18n.init({
    resources,
    lng: 'id',
    fallbackLng: 'id',
    ns: [...namespaces],
    defaultNS: 'common',
    interpolation: { escapeValue: false },
    returnNull: false,
    initAsync: false,
  });
  const lookup = (language: string, key: string) => {
    const [namespace, path] = key.includes(':') ? key.split(':', 2) : ['common', key];
    return i18n.getResource(language, namespace, path);
  };
  return {
    i18n,
    missingIn: (key) => LANGUAGES.filter((language) => typeof lookup(language, key) !== 'string'),
    keysOf: (language) => Object.entries(resources[language]).flatMap(([namespace, tree]) => flatten(tree).map((path) => `${namespace}:${path}`)),
  };
}

function parseJson(file: string, text: string): Tree {
  try {
    return JSON.parse(text) as Tree;
  } catch (error) {
    const position = Number(/position (\d+)/.exec(String((error as Error).message))?.[1] ?? 0);
    const line = text.slice(0, position).split('\n').length;
    throw new LocaleError(file, line, (error as Error).message);
  }
}

function flatten(tree: Tree, prefix = ''): string[] {
  return Object.entries(tree).flatMap(([key, value]) => (typeof value === 'string' ? [`${prefix}${key}`] : flatten(value, `${prefix}${key}.`)));
}
