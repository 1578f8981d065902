// The web explorer: GraphiQL over this server's /graphql, headers pane open so a dev token can be pasted.
(function () {
  'use strict';
  var fetcher = GraphiQL.createFetcher({ url: '/graphql' });
  var defaultQuery = [
    '# The public catalog answers without a token; paste one in Headers for the rest (see "How to authenticate").',
    '{',
    '  products(first: 3) {',
    '    totalCount',
    '    edges { node { id category { name nameEn } averageRating } }',
    '  }',
    '}',
    '',
  ].join('\n');
  var root = ReactDOM.createRoot(document.getElementById('graphiql'));
  root.render(
    React.createElement(GraphiQL, {
      fetcher: fetcher,
      defaultQuery: defaultQuery,
      defaultEditorToolsVisibility: 'headers',
      defaultHeaders: '{}',
      shouldPersistHeaders: false,
    }),
  );
})();
