import type { Models } from '../db/models/index.js';
import { HttpError } from '../http/errors.js';

/** The coop an admin request names, by slug or id; 404 when there is none. */
export async function findCoopId(models: Models, slugOrId: string): Promise<string> {
  const found = await models.Coop.findOne({ $or: [{ slug: slugOrId }, { _id: slugOrId }] }, { _id: 1 }).lean();
  if (!found) throw new HttpError(404, 'unknown_coop', 'No such cooperative');
  return found._id;
}
