export * from './clients.js';
export * from './id-number.js';
export * from './labels.js';
export * from './network.js';
export * from './password.js';
export * from './permissions-doc.js';
export * from './pinyin.js';
export * from './roles.js';
