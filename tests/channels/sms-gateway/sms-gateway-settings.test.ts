import { describe, expect, test } from '@jest/globals';
import {
  gatewaySettingsFrom,
  SMS_GATEWAY_CLOUD_URL,
  SmsGatewaySettingsError,
} from '../../../src/channels/sms-gateway/sms-gateway-settings.js';

const ENV = {
  baseUrl: 'https://sms.kdmp.example.id/3rdparty/v1',
  login: 'ENVLOGIN',
  password: 'env-password',
  signingKey: 'env-signing-key-123',
};

describe('gatewaySettingsFrom', () => {
  test('uses the environment defaults when the coop overrides nothing', () => {
    expect(gatewaySettingsFrom(undefined, ENV)).toEqual(ENV);
  });

  test('a coop override wins field by field; blanks count as unset', () => {
    expect(gatewaySettingsFrom({ login: 'KDMPSUKA', password: 'coop-password', signingKey: '  ', baseUrl: null }, ENV)).toEqual({
      baseUrl: ENV.baseUrl,
      login: 'KDMPSUKA',
      password: 'coop-password',
      signingKey: ENV.signingKey,
    });
  });

  test('no credentials anywhere means no gateway, even with a URL', () => {
    expect(gatewaySettingsFrom(undefined, {})).toBeUndefined();
    expect(gatewaySettingsFrom({ login: '' }, { baseUrl: SMS_GATEWAY_CLOUD_URL })).toBeUndefined();
  });

  test('the Cloud URL is the default and trailing slashes are dropped', () => {
    const credentials = { login: 'KDMPSUKA', password: 'coop-password', signingKey: 'coop-signing-key' };
    expect(gatewaySettingsFrom(credentials, {})?.baseUrl).toBe(SMS_GATEWAY_CLOUD_URL);
    expect(gatewaySettingsFrom({ ...credentials, baseUrl: 'http://192.168.1.20:8080/' }, {})?.baseUrl).toBe('http://192.168.1.20:8080');
  });

  test('half-configured settings throw, naming every missing field', () => {
    let caught: unknown;
    try {
      gatewaySettingsFrom({ login: 'KDMPSUKA' }, {});
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(SmsGatewaySettingsError);
    expect((caught as SmsGatewaySettingsError).fields.sort()).toEqual(['password', 'signingKey']);
  });

  test.each([
    ['a URL that is not http(s)', { baseUrl: 'ftp://sms.example.id' }, 'baseUrl'],
    ['not a URL', { baseUrl: 'sms gateway' }, 'baseUrl'],
    ['a short signing key', { signingKey: 'abc' }, 'signingKey'],
  ])('rejects %s', (_label, override, field) => {
    expect(() => gatewaySettingsFrom(override, ENV)).toThrow(SmsGatewaySettingsError);
    try {
      gatewaySettingsFrom(override, ENV);
    } catch (error) {
      expect((error as SmsGatewaySettingsError).fields).toEqual([field]);
    }
  });
});
