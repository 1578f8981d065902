/**
 * security: who is calling (authentication: JWTs, partner API keys) and what each role may see
 * (field-level policy with PII masking and pseudonymous ids in policy.ts/masking.ts, row scopes in
 * row-scope.ts). Imports shared, config, sources and fusion only; subgraphs apply it.
 */
export * from './principal';
export * from './api-keys';
export * from './authenticate';
export * from './masking';
export * from './policy';
export * from './row-scope';
export * from './secrets';
