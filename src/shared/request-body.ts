import type http from 'node:http';

/**
 * A request's body as text, read to its end even when it is over `limit` bytes (so the answer, e.g. a 413,
 * reaches the client), keeping at most `limit` bytes of it.
 */
export function readBody(request: http.IncomingMessage, limit: number): Promise<{ text: string; tooLarge: boolean }> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    let tooLarge = false;
    request.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > limit) tooLarge = true;
      else chunks.push(chunk);
    });
    request.on('end', () => resolve({ text: Buffer.concat(chunks).toString('utf8'), tooLarge }));
    request.on('error', reject);
  });
}
