import { z } from 'zod';

/** The vendor's hosted relay (Cloud mode); a Private server or the phone's Local server use their own URL. */
export const SMS_GATEWAY_CLOUD_URL = 'https://api.sms-gate.app/3rdparty/v1';

/**
 * How one cooperative reaches its Android phone running "SMS Gateway for Android".
 * Environment defaults (the lead maps them in config):
 *   SMS_GATEWAY_URL          -> baseUrl     (default SMS_GATEWAY_CLOUD_URL)
 *   SMS_GATEWAY_LOGIN        -> login       (the app's Home tab: Cloud/Local server username)
 *   SMS_GATEWAY_PASSWORD     -> password    (the app's Home tab: password)
 *   SMS_GATEWAY_SIGNING_KEY  -> signingKey  (the app's Settings > Webhooks > Signing Key)
 * A cooperative's own settings override them field by field.
 */
export const smsGatewaySettingsSchema = z.object({
  // The client appends '/message'; a trailing slash would make '//message'.
  baseUrl: z
    .url({ protocol: /^https?$/, message: 'must be an http(s) URL such as https://api.sms-gate.app/3rdparty/v1' })
    .transform((url) => url.replace(/\/+$/, '')),
  login: z.string().min(1, 'must not be empty').max(200),
  password: z.string().min(1, 'must not be empty').max(200),
  // Short keys make the HMAC guessable offline; the app generates long random ones.
  signingKey: z.string().min(8, 'must be at least 8 characters').max(500),
});

export type SmsGatewaySettings = z.infer<typeof smsGatewaySettingsSchema>;

/** Partial settings as they come from the environment or a cooperative's record; blanks count as unset. */
export type SmsGatewaySettingsInput = Partial<Record<keyof SmsGatewaySettings, string | null | undefined>>;

/** A cooperative's SMS gateway is half configured; the message names every bad field. */
export class SmsGatewaySettingsError extends Error {
  constructor(
    message: string,
    readonly fields: string[],
    options?: ErrorOptions,
  ) {
    super(message, options);
    this.name = 'SmsGatewaySettingsError';
  }
}

const FIELDS = ['baseUrl', 'login', 'password', 'signingKey'] as const;

/**
 * Merges a cooperative's overrides over the environment defaults and validates the result.
 * Returns undefined when neither names credentials (the coop has no SMS gateway); throws
 * SmsGatewaySettingsError when they are incomplete or invalid, so a typo is not mistaken
 * for "not configured".
 */
export function gatewaySettingsFrom(
  coopOverrides: SmsGatewaySettingsInput | undefined,
  envDefaults: SmsGatewaySettingsInput,
): SmsGatewaySettings | undefined {
  const merged: Record<string, string | undefined> = {};
  for (const field of FIELDS) merged[field] = presentValue(coopOverrides?.[field]) ?? presentValue(envDefaults[field]);
  // A URL alone (e.g. the env default) does not make a gateway: credentials do.
  if (merged.login === undefined && merged.password === undefined && merged.signingKey === undefined) return undefined;
  merged.baseUrl ??= SMS_GATEWAY_CLOUD_URL;
  const parsed = smsGatewaySettingsSchema.safeParse(merged);
  if (parsed.success) return parsed.data;
  const fields = [...new Set(parsed.error.issues.map((issue) => issue.path.join('.')))];
  const detail = parsed.error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`).join('; ');
  throw new SmsGatewaySettingsError(`SMS gateway settings are invalid (${detail})`, fields, { cause: parsed.error });
}

function presentValue(value: string | null | undefined): string | undefined {
  if (value === null || value === undefined) return undefined;
  const trimmed = value.trim();
  return trimmed === '' ? undefined : trimmed;
}
