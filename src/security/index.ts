/**
 * security: who is calling (authentication: JWTs, partner API keys) and what each role may see
 * (field- and row-level policy, PII masking, pseudonymous ids). Imports shared, config and sources only.
 */
export * from './principal';
