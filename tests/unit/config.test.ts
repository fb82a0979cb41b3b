import { describe, expect, test } from '@jest/globals';
import { ConfigError, loadConfig } from '../../src/config/config.js';

const strongToken = 'x'.repeat(32);
const twilioSid = `AC${'0'.repeat(32)}`;

describe('loadConfig', () => {
  test('defaults give a working development configuration with a generated admin token', () => {
    const config = loadConfig({});
    expect(config).toMatchObject({
      nodeEnv: 'development',
      port: 3000,
      logLevel: 'info',
      mongodbUri: undefined,
      dataDir: './data',
      embeddedMongoPort: 27027,
      whatsappEnabled: false,
      timeZone: 'Asia/Jakarta',
      adminTokenGenerated: true,
      seedDemo: true,
    });
    expect(config.adminToken.length).toBeGreaterThanOrEqual(24);
    expect(loadConfig({}).adminToken).not.toBe(config.adminToken);
    expect(Object.isFrozen(config)).toBe(true);
  });

  test('reads every variable', () => {
    const config = loadConfig({
      NODE_ENV: 'production',
      PORT: '8080',
      LOG_LEVEL: 'warn',
      MONGODB_URI: 'mongodb://db.internal:27017/kdmp',
      DATA_DIR: '/var/lib/kdmp',
      EMBEDDED_MONGO_PORT: '28000',
      ADMIN_TOKEN: strongToken,
      PUBLIC_BASE_URL: 'https://kdmp.example.id/',
      TWILIO_ACCOUNT_SID: twilioSid,
      TWILIO_AUTH_TOKEN: 'secret',
      WHATSAPP_ENABLED: 'true',
      SEED_DEMO: 'true',
      TZ: 'Asia/Makassar',
    });
    expect(config).toMatchObject({
      isProduction: true,
      seedDemo: true,
      port: 8080,
      logLevel: 'warn',
      mongodbUri: 'mongodb://db.internal:27017/kdmp',
      dataDir: '/var/lib/kdmp',
      embeddedMongoPort: 28000,
      adminToken: strongToken,
      adminTokenGenerated: false,
      publicBaseUrl: 'https://kdmp.example.id',
      twilio: { accountSid: twilioSid, authToken: 'secret' },
      whatsappEnabled: true,
      timeZone: 'Asia/Makassar',
    });
  });

  test('production seeds no demo cooperative unless asked', () => {
    expect(loadConfig({ NODE_ENV: 'production', ADMIN_TOKEN: strongToken }).seedDemo).toBe(false);
    expect(loadConfig({ NODE_ENV: 'test' }).seedDemo).toBe(true);
    expect(loadConfig({ SEED_DEMO: 'false' }).seedDemo).toBe(false);
  });

  test('an empty value counts as unset', () => {
    expect(loadConfig({ PORT: '', MONGODB_URI: '  ' })).toMatchObject({ port: 3000, mongodbUri: undefined });
  });

  test.each([
    [{ PORT: 'abc' }, 'PORT must be a number'],
    [{ PORT: '70000' }, 'PORT must be between 0 and 65535'],
    [{ NODE_ENV: 'staging' }, 'NODE_ENV must be development, production or test'],
    [{ LOG_LEVEL: 'loud' }, 'LOG_LEVEL must be one of'],
    [{ MONGODB_URI: 'postgres://x' }, 'MONGODB_URI must start with mongodb://'],
    [{ WHATSAPP_ENABLED: 'maybe' }, 'WHATSAPP_ENABLED must be true or false'],
    [{ TZ: 'Mars/Olympus' }, 'TZ must be an IANA time zone'],
    [{ PUBLIC_BASE_URL: 'kdmp.example.id' }, 'PUBLIC_BASE_URL must be an absolute URL'],
    [{ TWILIO_ACCOUNT_SID: 'nope', TWILIO_AUTH_TOKEN: 'x' }, 'TWILIO_ACCOUNT_SID must look like AC'],
    [{ TWILIO_ACCOUNT_SID: twilioSid }, 'TWILIO_AUTH_TOKEN must be set together'],
    [{ TWILIO_ACCOUNT_SID: twilioSid, TWILIO_AUTH_TOKEN: 'x' }, 'PUBLIC_BASE_URL is required when Twilio'],
    [{ NODE_ENV: 'production' }, 'ADMIN_TOKEN is required in production'],
    [{ NODE_ENV: 'production', ADMIN_TOKEN: 'short-token' }, 'ADMIN_TOKEN must be at least 24 characters'],
    [{ SMS_GATEWAY_LOGIN: 'KDMP', SMS_GATEWAY_PASSWORD: 'secret-1', SMS_GATEWAY_SIGNING_KEY: 'short' }, 'SMS_GATEWAY_SIGNING_KEY must be at least 8 characters'],
    [{ SMS_GATEWAY_LOGIN: 'KDMP' }, 'SMS_GATEWAY_PASSWORD must be set together'],
    [{ SMS_GATEWAY_URL: 'ftp://phone.local' }, 'SMS_GATEWAY_URL must be'],
  ])('refuses %j with one line naming the variable', (env, message) => {
    let thrown: unknown;
    try {
      loadConfig(env as NodeJS.ProcessEnv);
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toBeInstanceOf(ConfigError);
    expect((thrown as Error).message).toContain(`Configuration error: ${message}`);
    expect((thrown as Error).message).not.toContain('\n');
  });
});
