import fs from 'node:fs';
import path from 'node:path';
import { PROJECT_ROOT } from '../../shared';
import type { HttpReply } from '../http/http-plugin';

/** The pages' own files (HTML, scripts, styles), kept as files beside this module's source. */
export const PUBLIC_DIR = path.join(PROJECT_ROOT, 'src', 'gateway', 'web', 'public');

const CONTENT_TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
};

/**
 * Same-origin pages, no inline script, no third-party origin: the browser runs only the files served here.
 * GraphiQL sets inline styles, hence style-src 'unsafe-inline'.
 */
const PAGE_HEADERS = {
  'content-security-policy':
    "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; font-src 'self' data:; connect-src 'self'; frame-ancestors 'none'; base-uri 'none'; form-action 'none'",
  'x-content-type-options': 'nosniff',
  'referrer-policy': 'no-referrer',
};

/** A file served as it is, read once on first request and kept in memory (they are small and never change at run time). */
export function staticFile(file: string, cacheControl = 'no-cache'): () => HttpReply {
  let text: string | undefined;
  const contentType = CONTENT_TYPES[path.extname(file)];
  if (!contentType) throw new Error(`no content type for ${file}`);
  return () => {
    text ??= fs.readFileSync(file, 'utf8');
    return { status: 200, headers: { 'content-type': contentType, 'cache-control': cacheControl, ...PAGE_HEADERS }, body: text };
  };
}

/** A file of an npm package (the GraphiQL and React bundles): never copied into the repository, never a CDN. */
export function vendorFile(packageName: string, file: string): () => HttpReply {
  // Through package.json: the packages' export maps do not list their UMD bundles.
  const packageDir = path.dirname(require.resolve(`${packageName}/package.json`));
  return staticFile(path.join(packageDir, file), 'public, max-age=86400');
}
