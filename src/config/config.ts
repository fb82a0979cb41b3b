import { randomBytes } from 'node:crypto';
import type { z } from 'zod';
import { gatewaySettingsFrom, SmsGatewaySettingsError } from '../channels/sms-gateway/sms-gateway-settings.js';
import { envSchema, type Env } from './env-schema.js';

/** Tokens shorter than this are refused in production: they can be guessed. */
export const MIN_ADMIN_TOKEN_LENGTH = 24;

export interface Config {
  nodeEnv: Env['NODE_ENV'];
  isProduction: boolean;
  port: number;
  logLevel: Env['LOG_LEVEL'];
  mongodbUri?: string;
  dataDir: string;
  embeddedMongoPort: number;
  adminToken: string;
  /** True when ADMIN_TOKEN was not set and one was generated for this run (development only). */
  adminTokenGenerated: boolean;
  /** Also opens GET /metrics (besides the admin token). */
  metricsToken?: string;
  /** Seed the demo cooperative (made-up bank account, a member with PIN 1234) into an empty database. */
  seedDemo: boolean;
  publicBaseUrl?: string;
  twilio?: { accountSid: string; authToken: string };
  whatsappEnabled: boolean;
  /** Defaults for cooperatives' Android SMS gateways (each coop may set its own). */
  smsGateway?: { baseUrl?: string; login?: string; password?: string; signingKey?: string };
  timeZone: string;
}

/** A configuration problem, reported as one line naming the variable. */
export class ConfigError extends Error {
  constructor(
    readonly variable: string,
    readonly problem: string,
  ) {
    super(`Configuration error: ${variable} ${problem}`);
    this.name = 'ConfigError';
  }
}

/** The variables `schema` knows, parsed. Throws ConfigError naming the first bad variable. */
export function parseEnvironment<S extends z.ZodType>(schema: S, source: NodeJS.ProcessEnv): z.infer<S> {
  // An empty value means unset (`PORT=` in a copied .env must not become port 0).
  const present = Object.fromEntries(Object.entries(source).filter(([, value]) => value !== undefined && value.trim() !== ''));
  const parsed = schema.safeParse(present);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new ConfigError(String(issue.path[0] ?? 'environment'), issue.message);
  }
  return parsed.data;
}

/** Parses the environment once. Throws ConfigError naming the first bad variable. */
export function loadConfig(source: NodeJS.ProcessEnv = process.env): Readonly<Config> {
  const env = parseEnvironment(envSchema, source);
  const isProduction = env.NODE_ENV === 'production';

  let adminToken = env.ADMIN_TOKEN;
  let adminTokenGenerated = false;
  if (adminToken && adminToken.length < MIN_ADMIN_TOKEN_LENGTH && isProduction) {
    throw new ConfigError('ADMIN_TOKEN', `must be at least ${MIN_ADMIN_TOKEN_LENGTH} characters in production`);
  }
  if (!adminToken) {
    if (isProduction) throw new ConfigError('ADMIN_TOKEN', 'is required in production (at least 24 random characters)');
    adminToken = randomBytes(24).toString('base64url');
    adminTokenGenerated = true;
  }

  if (env.METRICS_TOKEN && env.METRICS_TOKEN.length < MIN_ADMIN_TOKEN_LENGTH && isProduction) {
    throw new ConfigError('METRICS_TOKEN', `must be at least ${MIN_ADMIN_TOKEN_LENGTH} characters in production`);
  }
  if (Boolean(env.TWILIO_ACCOUNT_SID) !== Boolean(env.TWILIO_AUTH_TOKEN)) {
    const missing = env.TWILIO_ACCOUNT_SID ? 'TWILIO_AUTH_TOKEN' : 'TWILIO_ACCOUNT_SID';
    throw new ConfigError(missing, 'must be set together with the other Twilio variable');
  }
  if (env.TWILIO_ACCOUNT_SID && !env.PUBLIC_BASE_URL) {
    throw new ConfigError('PUBLIC_BASE_URL', 'is required when Twilio is configured (Twilio signs the public URL)');
  }

  const smsGateway =
    env.SMS_GATEWAY_URL || env.SMS_GATEWAY_LOGIN || env.SMS_GATEWAY_PASSWORD || env.SMS_GATEWAY_SIGNING_KEY
      ? { baseUrl: env.SMS_GATEWAY_URL, login: env.SMS_GATEWAY_LOGIN, password: env.SMS_GATEWAY_PASSWORD, signingKey: env.SMS_GATEWAY_SIGNING_KEY }
      : undefined;
  checkSmsGatewayDefaults(smsGateway);

  return Object.freeze({
    nodeEnv: env.NODE_ENV,
    isProduction,
    port: env.PORT,
    logLevel: env.LOG_LEVEL,
    mongodbUri: env.MONGODB_URI,
    dataDir: env.DATA_DIR,
    embeddedMongoPort: env.EMBEDDED_MONGO_PORT,
    adminToken,
    adminTokenGenerated,
    seedDemo: env.SEED_DEMO ?? !isProduction,
    metricsToken: env.METRICS_TOKEN,
    publicBaseUrl: env.PUBLIC_BASE_URL?.replace(/\/+$/, ''),
    twilio: env.TWILIO_ACCOUNT_SID && env.TWILIO_AUTH_TOKEN ? { accountSid: env.TWILIO_ACCOUNT_SID, authToken: env.TWILIO_AUTH_TOKEN } : undefined,
    whatsappEnabled: env.WHATSAPP_ENABLED,
    smsGateway,
    timeZone: env.TZ,
  });
}

const SMS_GATEWAY_VARIABLES: Record<string, string> = { baseUrl: 'SMS_GATEWAY_URL', login: 'SMS_GATEWAY_LOGIN', password: 'SMS_GATEWAY_PASSWORD', signingKey: 'SMS_GATEWAY_SIGNING_KEY' };

/** Incomplete gateway defaults would fail every webhook later: refuse them now, naming the variable. */
function checkSmsGatewayDefaults(defaults: Config['smsGateway']): void {
  if (!defaults) return;
  try {
    gatewaySettingsFrom(undefined, defaults);
  } catch (error) {
    if (!(error instanceof SmsGatewaySettingsError)) throw error;
    const field = error.fields[0] ?? 'login';
    const problem = /signingKey/.test(field) ? 'must be at least 8 characters' : 'must be set together with the other SMS_GATEWAY_* variables';
    throw new ConfigError(SMS_GATEWAY_VARIABLES[field] ?? 'SMS_GATEWAY_LOGIN', field === 'baseUrl' ? 'must be an http(s) URL' : problem);
  }
}
