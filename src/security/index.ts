/**
 * security: who is calling (authentication: JWTs, partner API keys) and what each role may see
 * (field-level policy with PII masking and pseudonymous ids in policy.ts/masking.ts, row scopes in
 * row-scope.ts). Imports shared, config, sources and fusion only; subgraphs apply it. limits/ holds the
 * abuse-limit logic (cost, query shape, trusted documents) that the gateway's plugins run before execution.
 */
export * from './principal';
export * from './api-keys';
export * from './authenticate';
export * from './masking';
export * from './policy';
export * from './row-scope';
export * from './aggregate-scope';
export * from './secrets';
