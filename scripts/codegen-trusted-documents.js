// A graphql-codegen plugin: writes the trusted-documents manifest, sha256 (hex) of each document's
// canonical text (graphql-js `print`) → that text, one entry per .graphql file, sorted by hash.
// The server reads it (src/security/limits/trusted-documents.ts applies the same rule).
const { createHash } = require('node:crypto');
const { print } = require('graphql');

module.exports = {
  plugin(_schema, documents) {
    const manifest = {};
    for (const file of documents) {
      if (!file.document) continue;
      const text = print(file.document);
      manifest[createHash('sha256').update(text, 'utf8').digest('hex')] = text;
    }
    const sorted = Object.fromEntries(Object.entries(manifest).sort(([a], [b]) => (a < b ? -1 : 1)));
    return `${JSON.stringify(sorted, null, 2)}\n`;
  },
};
