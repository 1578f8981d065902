/**
 * seed: loads the Olist CSV files into the embedded source systems exactly as those systems
 * would hold them (raw ids, raw text, quirks kept). Cleaning belongs to src/fusion, not here.
 */
export * from './dataset-files';
export * from './csv-rows';
export * from './seed';
export * from './seed-servers';
export * from './history';
export * from './source-writer';
export * from './replay';
