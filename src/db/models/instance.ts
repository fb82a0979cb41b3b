import { Schema } from 'mongoose';

/**
 * One running process of the service. Its heartbeat says it is alive: a claim held by an
 * instance whose heartbeat stopped belongs to a process that died, and may be taken over.
 */
export interface InstanceDoc {
  /** Random per process start. */
  _id: string;
  host: string;
  pid: number;
  startedAt: Date;
  heartbeatAt: Date;
  /** TTL: a dead instance's document disappears by itself. */
  expiresAt: Date;
}

export const instanceSchema = new Schema<InstanceDoc>(
  {
    _id: { type: String, required: true },
    host: { type: String, required: true },
    pid: { type: Number, required: true },
    startedAt: { type: Date, required: true },
    heartbeatAt: { type: Date, required: true },
    expiresAt: { type: Date, required: true },
  },
  { collection: 'instances', versionKey: false },
);
instanceSchema.index({ expiresAt: 1 }, { expireAfterSeconds: 0 });
