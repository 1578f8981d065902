export * from './matchers';
export * from './identity-graph';
export * from './person-lookup';
