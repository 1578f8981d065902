/** The kinds of clients the graph serves (a contract of tokens and configuration); each sees what its role allows (see src/security/policy). */
export const ROLES = ['anonymous', 'customer', 'frontend-service', 'bi', 'partner', 'admin'] as const;
export type Role = (typeof ROLES)[number];
