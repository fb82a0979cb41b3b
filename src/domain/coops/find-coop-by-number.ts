import type { ChannelName } from '../../channels/types.js';
import type { Models } from '../../db/models/index.js';
import type { CoopDoc } from '../../db/models/coop.js';

/** The coop a business number belongs to (which coop an inbound WhatsApp/SMS is for). */
export async function findCoopByNumber(models: Models, channel: ChannelName, number: string): Promise<CoopDoc | null> {
  const field = channel === 'sms' ? 'numbers.sms' : 'numbers.whatsapp';
  return models.Coop.findOne({ [field]: number }).lean();
}
