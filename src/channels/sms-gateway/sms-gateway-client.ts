import gatewayModule, { type HttpClient } from 'android-sms-gateway';

/**
 * android-sms-gateway@3 ships ESM in a .js file without "type": "module". Node (module syntax
 * detection) and jest load it as ESM, so the default import is the Client class; TypeScript
 * reads its types as CommonJS and calls the default import the whole module. Accept both.
 */
type GatewayClientClass = typeof gatewayModule.default;
const GatewayClient: GatewayClientClass =
  'default' in gatewayModule ? gatewayModule.default : (gatewayModule as unknown as GatewayClientClass);

export type GatewayClient = InstanceType<GatewayClientClass>;

export interface GatewayClientSettings {
  baseUrl: string;
  login: string;
  password: string;
}

/** One vendor client for one phone (Cloud, Private or Local server URL with its credentials). */
export function createGatewayClient(settings: GatewayClientSettings, httpClient: HttpClient): GatewayClient {
  return new GatewayClient(settings.login, settings.password, httpClient, settings.baseUrl);
}
