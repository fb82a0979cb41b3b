import type { Types } from 'mongoose';

/** The `before` of the next page: the last id of a full page, or null when this page was the last. */
export function nextCursor(page: readonly { _id: Types.ObjectId }[], limit: number): string | null {
  return page.length === limit ? String(page[page.length - 1]._id) : null;
}
