/** Environment for a service on free ports with its own data directory and no log output. */
export function serviceEnv(dataDir: string, overrides: NodeJS.ProcessEnv = {}): NodeJS.ProcessEnv {
  return {
    NODE_ENV: 'test',
    PORT: '0',
    EMBEDDED_MONGO_PORT: '0',
    DATA_DIR: dataDir,
    LOG_LEVEL: 'silent',
    ADMIN_TOKEN: 'admin-token-for-tests-0123456789',
    ...overrides,
  };
}
