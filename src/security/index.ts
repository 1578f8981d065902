/**
 * security: who is calling (authentication: JWTs, partner API keys) and what each role may see
 * (field-level policy with PII masking and pseudonymous ids in policy.ts/masking.ts). Row scopes are
 * applied by src/read-model, which every resolver reads through. Imports shared and config only;
 * subgraphs apply the field policy. limits/ holds the abuse-limit logic (cost, query shape, trusted
 * documents) that the gateway's plugins run before execution.
 */
export * from './principal';
export * from './api-keys';
export * from './authenticate';
export * from './masking';
export * from './policy';
export * from './secrets';
export * from './bearer';
