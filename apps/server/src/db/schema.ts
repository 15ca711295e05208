export * from '../modules/audit/audit.table.js';
export * from '../modules/auth/auth.table.js';
export * from '../modules/clients/clients.table.js';
export * from '../modules/network/import.table.js';
export * from '../modules/network/network.table.js';
export * from '../modules/notifications/notifications.table.js';
export * from '../modules/regions/regions.table.js';
export * from '../modules/visits/visits.table.js';
