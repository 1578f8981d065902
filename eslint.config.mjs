// ESLint (flat config): typescript-eslint's recommended rules over the sources, tests, benchmarks and scripts (`npm run lint`).
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

const node = { require: 'readonly', module: 'writable', process: 'readonly', __dirname: 'readonly', console: 'readonly' };

export default tseslint.config(
  {
    ignores: [
      'dist/**',
      'generated/**',
      'test/generated/**',
      'node_modules/**',
      'data/**',
      'bench/tmp/**',
      'bench/peers/.deps/**',
      'src/gateway/web/public/**',
      'training/**',
    ],
  },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrors: 'none' }],
      // Our cleaning rules have an `apply(value, context)` method, which this rule mistakes for Function.prototype.apply.
      'prefer-spread': 'off',
    },
  },
  // Resolvers read through the request's read model (ctx.data, src/read-model), never a source or a row-scope helper of their own.
  {
    files: ['src/subgraphs/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              group: ['**/sources', '**/sources/**'],
              message: 'Resolvers read through ctx.data (src/read-model), which applies the row scope; never a source.',
            },
          ],
        },
      ],
    },
  },
  // Tests read GraphQL answers whose shape the assertion itself checks.
  { files: ['test/**/*.ts'], rules: { '@typescript-eslint/no-explicit-any': 'off' } },
  // Plain CommonJS: the jest environment and register hooks, the build and check scripts.
  { files: ['**/*.js'], languageOptions: { sourceType: 'commonjs', globals: node }, rules: { '@typescript-eslint/no-require-imports': 'off' } },
);
