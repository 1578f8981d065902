/**
 * gateway/web: the pages people open in a browser, served by the embedded gateway and the router (the servers
 * clients reach; subgraph services answer only the router). The web explorer (GraphiQL, bundled from npm) at
 * GET /graphql for browsers in development mode, and the data-quality and model page at /quality, whose data
 * needs an admin or BI credential. The pages' files are in public/.
 */
export * from './use-web-pages';
