import { Schema } from 'mongoose';

/** Who may run a scheduled job right now, when several instances share one database. */
export interface JobLeaseDoc {
  /** The job's name. */
  _id: string;
  owner: string;
  until: Date;
  lastRunAt?: Date;
}

export const jobLeaseSchema = new Schema<JobLeaseDoc>(
  {
    _id: { type: String, required: true },
    owner: { type: String, required: true },
    until: { type: Date, required: true },
    lastRunAt: Date,
  },
  { collection: 'job_leases', versionKey: false },
);
