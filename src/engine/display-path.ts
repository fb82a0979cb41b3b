import { isAbsolute, relative } from 'node:path';

/** A path for error messages: relative to the working directory when inside it (flows/order.yaml), else absolute. */
export function displayPath(path: string): string {
  const shown = relative(process.cwd(), path);
  return shown && !shown.startsWith('..') && !isAbsolute(shown) ? shown : path;
}
