import type mongoose from 'mongoose';
import { Schema, type Model, type Types } from 'mongoose';

/** The kind of the one document per coop that holds the Baileys credentials. */
export const WHATSAPP_CREDS_KIND = 'creds';
/** The id of that document (ids of key documents are Baileys' own key ids). */
export const WHATSAPP_CREDS_ID = 'creds';

/**
 * One piece of a cooperative's WhatsApp (Baileys) login: the credentials (kind 'creds') or
 * one Signal key (kind = the key type, e.g. 'pre-key', 'session'). `value` is the JSON text
 * Baileys' BufferJSON.replacer produces, so Buffers survive the round trip byte for byte.
 */
export interface WhatsAppAuthDoc {
  _id: Types.ObjectId;
  coopId: string;
  kind: string;
  id: string;
  value: string;
  updatedAt?: Date;
}

export const whatsAppAuthSchema = new Schema<WhatsAppAuthDoc>(
  {
    coopId: { type: String, required: true },
    kind: { type: String, required: true },
    id: { type: String, required: true },
    value: { type: String, required: true },
  },
  { collection: 'whatsapp_auth', versionKey: false, timestamps: { createdAt: false, updatedAt: true } },
);
whatsAppAuthSchema.index({ coopId: 1, kind: 1, id: 1 }, { unique: true });

/**
 * The model on this connection, registered on first use. It lives outside the shared model
 * registry because only the Baileys adapter reads it.
 */
export function getWhatsAppAuthModel(connection: mongoose.Connection): Model<WhatsAppAuthDoc> {
  return (connection.models.WhatsAppAuth as Model<WhatsAppAuthDoc> | undefined) ?? connection.model<WhatsAppAuthDoc>('WhatsAppAuth', whatsAppAuthSchema);
}
