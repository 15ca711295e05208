// `npm run regions:load -- 44` loads 广东省 (any province code, or a code prefix); `-- all` loads all of China.
import { loadRegions } from '../modules/regions/regions.service.js';
import { openConfiguredDatabase } from './open.js';

const args = process.argv.slice(2).filter((a) => a !== '--');
if (args.length === 0 || !args.every((a) => a === 'all' || /^\d{2,12}$/.test(a))) {
  console.error('usage: npm run regions:load -- <province code …> | all   (e.g. 44 for 广东省, 50 for 重庆市)');
  process.exit(2);
}
const database = await openConfiguredDatabase();
const t0 = Date.now();
try {
  const n = await loadRegions(database.db, args.includes('all') ? 'all' : args, (k) => process.stdout.write(`\r${k} regions…`));
  console.log(`\nloaded ${n} regions (${args.join(', ')}) in ${((Date.now() - t0) / 1000).toFixed(1)} s`);
} finally {
  await database.close();
}
