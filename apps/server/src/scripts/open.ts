import { loadConfig } from '../platform/config.js';
import { type Database, openDatabase } from '../platform/db.js';

/** Opens the same database `npm start` uses (DATABASE_URL, else PGlite in WUSHE_DATA_DIR or ./data) and migrates it. */
export async function openConfiguredDatabase(): Promise<Database> {
  const config = loadConfig();
  const database = await openDatabase({ databaseUrl: config.databaseUrl, dataDir: config.dataDir });
  await database.migrate();
  return database;
}
