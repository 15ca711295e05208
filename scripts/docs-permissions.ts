// `npm run docs:permissions`: writes docs/PERMISSIONS.md from the permission matrix.
import fs from 'node:fs';
import path from 'node:path';
import { permissionMatrixMarkdown } from '../packages/domain/src/permissions-doc.js';

fs.writeFileSync(path.resolve(import.meta.dirname, '../docs/PERMISSIONS.md'), permissionMatrixMarkdown());
console.log('docs/PERMISSIONS.md written');
