import { createHash } from 'node:crypto';
import fs from 'node:fs';
import { parse, print } from 'graphql';

/**
 * The trusted-documents manifest: sha256 (hex) of a document's canonical text → that text. The
 * canonical text is graphql-js `print` of the parsed document, so a hash does not depend on how the
 * operation file was formatted. `npm run codegen` writes it from partner-operations/*.graphql
 * (scripts/codegen-trusted-documents.js, the same rule); the server only reads it.
 */
export type TrustedDocumentManifest = ReadonlyMap<string, string>;

export function canonicalDocument(query: string): string {
  return print(parse(query, { noLocation: true }));
}

export function documentHash(canonicalText: string): string {
  return createHash('sha256').update(canonicalText, 'utf8').digest('hex');
}

export function loadTrustedDocuments(file: string): TrustedDocumentManifest {
  let raw: unknown;
  try {
    raw = JSON.parse(fs.readFileSync(file, 'utf8'));
  } catch (error) {
    throw new Error(`trusted documents manifest ${file} cannot be read (${(error as Error).message}); run \`npm run codegen\``);
  }
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) throw new Error(`${file}: expected an object of sha256 → document`);
  const manifest = new Map<string, string>();
  for (const [hash, document] of Object.entries(raw)) {
    if (typeof document !== 'string' || documentHash(document) !== hash) {
      throw new Error(`${file}: the entry ${hash} is not the sha256 of its document; run \`npm run codegen\``);
    }
    manifest.set(hash, document);
  }
  return manifest;
}
