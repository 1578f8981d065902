/**
 * security/limits: the pure logic of the abuse limits (query shape, cost, tokens) and trusted
 * documents; the plugins that apply them per request live in src/gateway/plugins/use-*.ts.
 */
export * from './cost';
export * from './query-shape';
export * from './trusted-documents';
