/** Seeds the demo cooperative into the configured database (MONGODB_URI, or the embedded one). */
import { loadConfig } from '../src/config/config.js';
import { connectDatabase } from '../src/db/connect.js';
import { ensureIndexes, getModels } from '../src/db/models/index.js';
import { seedDemoData } from '../src/demo/seed.js';
import { createLogger } from '../src/logger.js';

const config = loadConfig();
const logger = createLogger({ level: config.logLevel, pretty: !config.isProduction });
const database = await connectDatabase(config, logger);
try {
  const models = getModels(database.connection);
  await ensureIndexes(models);
  const result = await seedDemoData(models);
  logger.info(result, result.seeded ? 'demo data seeded' : 'a cooperative already exists; nothing seeded');
} catch (error) {
  logger.error({ err: error }, 'seeding failed');
  process.exitCode = 1;
} finally {
  await database.close();
}
