/** Where Twilio posts incoming messages: configure PUBLIC_BASE_URL + this on each number. */
export const TWILIO_MESSAGE_PATH = '/webhooks/twilio';
/** Where Twilio posts message status callbacks; the sender asks for them here. */
export const TWILIO_STATUS_PATH = '/webhooks/twilio/status';
