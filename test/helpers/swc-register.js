// Runs the TypeScript sources in a plain Node child process (the OTLP exporter loads node:http with a
// dynamic import(), which jest's module sandbox refuses): compiles each .ts file with @swc/core, using
// the same options as jest.config.js.
const fs = require('node:fs');
const swc = require('@swc/core');

require.extensions['.ts'] = (module, filename) => {
  const { code } = swc.transformSync(fs.readFileSync(filename, 'utf8'), {
    filename,
    jsc: {
      target: 'es2022',
      parser: { syntax: 'typescript', decorators: true },
      transform: { legacyDecorator: true, decoratorMetadata: true },
    },
    module: { type: 'commonjs' },
    sourceMaps: 'inline',
  });
  module._compile(code, filename);
};
