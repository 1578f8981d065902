#!/usr/bin/env node
// Generates one Prisma client per SQL system (prisma/<system>/schema.prisma -> generated/prisma/<system>).
// The CLI's schema engine cannot be downloaded here and `generate` does not need it, so point it at /bin/false.
const { execFileSync } = require('node:child_process');
const path = require('node:path');

const systems = ['crm', 'catalog', 'orders'];
const prismaBin = path.join(__dirname, '..', 'node_modules', '.bin', 'prisma');
for (const system of systems) {
  execFileSync(prismaBin, ['generate', '--schema', path.join('prisma', system, 'schema.prisma')], {
    stdio: ['ignore', 'inherit', 'inherit'],
    env: { ...process.env, PRISMA_SCHEMA_ENGINE_BINARY: process.env.PRISMA_SCHEMA_ENGINE_BINARY ?? '/bin/false', PRISMA_HIDE_UPDATE_MESSAGE: '1' },
    cwd: path.join(__dirname, '..'),
  });
}
