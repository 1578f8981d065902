/**
 * shared: error codes, cursors, id and page-size validation, configuration, a CSV reader, a bounded request-body reader.
 * Imports nothing from the rest of src.
 */
export * from './errors';
export * from './cursor';
export * from './ids';
export * from './pagination';
export * from './config';
export * from './project-root';
export * from './roles';
export * from './csv';
export * from './request-body';
