/**
 * A reply as data: an i18n key and parameters. Structured parameters are formatted at
 * render time, in the conversation's language and for the channel it goes out on.
 */
export type ParamValue =
  | string
  | number
  | { money: number }
  | { qty: number }
  | { time: Date }
  | { t: string; params?: Record<string, ParamValue> }
  /** Rendered one per line, or comma-separated on one line when inline. */
  | { list: ReplyMessage[]; inline?: boolean };

export type ReplyParams = Record<string, ParamValue>;

export interface ReplyMessage {
  key: string;
  params?: ReplyParams;
  /** Render into the same outbound message as the previous reply. */
  join?: boolean;
}
