export * from './clients';
export * from './migrate';
export * from './bulk-insert';
export * from './statement-cache';
export * from './keyed-reads';
export * from './result-memo';
