// `npm run audit:verify`: walks the hash chain of the audit log and reports the first broken link.
import { verifyAuditChain } from '../modules/audit/audit.service.js';
import { openConfiguredDatabase } from './open.js';

const database = await openConfiguredDatabase();
try {
  const r = await verifyAuditChain(database.db);
  if (r.ok) {
    console.log(`audit chain ok: ${r.checked} entries`);
  } else {
    console.log(
      `audit chain BROKEN at seq ${r.brokenAt?.seq} (${r.brokenAt?.reason}, entry ${r.brokenAt?.id}); ${r.checked} entries before it are intact`,
    );
    process.exitCode = 1;
  }
} finally {
  await database.close();
}
