// `npm run ledger:verify`: checks every invariant of the time bank (see verifyLedger) and names the first violation.
import { verifyLedger } from '../modules/timebank/timebank.service.js';
import { openConfiguredDatabase } from './open.js';

const database = await openConfiguredDatabase();
try {
  const r = await verifyLedger(database.db);
  if (r.ok) {
    console.log(`time-bank ledger ok: ${r.accounts} accounts, ${r.postings} postings, ${r.entries} entries`);
  } else {
    const [first, ...rest] = r.violations;
    console.log(`time-bank ledger BROKEN: ${first.check}: ${first.message}`);
    for (const v of rest) console.log(`  also ${v.check}: ${v.message}`);
    process.exitCode = 1;
  }
} finally {
  await database.close();
}
