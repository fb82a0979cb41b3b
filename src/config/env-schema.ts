import { z } from 'zod';

const booleanFlag = z
  .enum(['true', 'false', '1', '0', 'yes', 'no'], { message: 'must be true or false' })
  .transform((value) => value === 'true' || value === '1' || value === 'yes');

const port = z.coerce
  .number({ message: 'must be a number' })
  .int('must be a whole number')
  .min(0, 'must be between 0 and 65535')
  .max(65535, 'must be between 0 and 65535');

const optionalText = z.string().trim().optional();

/** Every environment variable the service reads. `.env.example` documents each one. */
export const envSchema = z.object({
  NODE_ENV: z.enum(['development', 'production', 'test'], { message: 'must be development, production or test' }).default('development'),
  PORT: port.default(3000),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'], { message: 'must be one of fatal, error, warn, info, debug, trace, silent' }).default('info'),
  MONGODB_URI: z.string().trim().regex(/^mongodb(\+srv)?:\/\//, 'must start with mongodb:// or mongodb+srv://').optional(),
  DATA_DIR: z.string().trim().min(1, 'must not be empty').default('./data'),
  EMBEDDED_MONGO_PORT: port.default(27027),
  ADMIN_TOKEN: optionalText,
  /** A token only for GET /metrics, so a Prometheus scraper need not hold the admin token. */
  METRICS_TOKEN: optionalText,
  /** Seed the demo cooperative into an empty database (default: yes in development and test, no in production). */
  SEED_DEMO: booleanFlag.optional(),
  PUBLIC_BASE_URL: z.url({ message: 'must be an absolute URL such as https://kdmp.example.id' }).optional(),
  TWILIO_ACCOUNT_SID: z.string().trim().regex(/^AC[0-9a-fA-F]{32}$/, 'must look like AC followed by 32 hex characters').optional(),
  TWILIO_AUTH_TOKEN: optionalText,
  WHATSAPP_ENABLED: booleanFlag.default(false),
  SMS_GATEWAY_URL: z.url({ protocol: /^https?$/, message: 'must be an http(s) URL such as https://api.sms-gate.app/3rdparty/v1' }).optional(),
  SMS_GATEWAY_LOGIN: optionalText,
  SMS_GATEWAY_PASSWORD: optionalText,
  SMS_GATEWAY_SIGNING_KEY: optionalText,
  TZ: z
    .string()
    .default('Asia/Jakarta')
    .refine((zone) => isKnownTimeZone(zone), 'must be an IANA time zone such as Asia/Jakarta'),
});

export type Env = z.infer<typeof envSchema>;

function isKnownTimeZone(zone: string): boolean {
  try {
    new Intl.DateTimeFormat('en', { timeZone: zone });
    return true;
  } catch {
    return false;
  }
}
