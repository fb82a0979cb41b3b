import { Schema } from 'mongoose';

/** One completed run of a scheduled job for one period (a day, a month, an order): never repeated. */
export interface JobRunDoc {
  /** `<job>:<scope>:<period>`, e.g. `daily-recap:kdmp-way-halim-permai:2026-11-30`. */
  _id: string;
  at: Date;
  queued: number;
}

export const jobRunSchema = new Schema<JobRunDoc>(
  { _id: { type: String, required: true }, at: { type: Date, required: true }, queued: { type: Number, required: true } },
  { collection: 'job_runs', versionKey: false },
);
// Kept long enough to outlast any re-run of a period; then forgotten.
jobRunSchema.index({ at: 1 }, { expireAfterSeconds: 400 * 86_400 });
