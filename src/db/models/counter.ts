import { Schema } from 'mongoose';

/** A named sequence per coop, advanced atomically with $inc. _id is `${coopId}:${name}`. */
export interface CounterDoc {
  _id: string;
  coopId: string;
  name: string;
  seq: number;
}

export const counterSchema = new Schema<CounterDoc>(
  {
    _id: { type: String, required: true },
    coopId: { type: String, required: true },
    name: { type: String, required: true },
    seq: { type: Number, required: true, default: 0 },
  },
  { collection: 'counters', versionKey: false },
);
