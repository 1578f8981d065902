#!/usr/bin/env node
// Runs `npm run build` only when dist/ is older than what it is built from (src/, bench/, generated/, the
// tsconfig files, package.json), so `npm start` on an unchanged checkout starts at once instead of recompiling.
// dist/.build-stamp records the newest input time of the last successful build; delete dist/ to force one.
const { execSync } = require('node:child_process');
const fs = require('node:fs');
const path = require('node:path');

const root = path.join(__dirname, '..');
const inputs = ['src', 'bench', 'generated', 'tsconfig.json', 'tsconfig.build.json', 'package.json'];
const stampFile = path.join(root, 'dist', '.build-stamp');

function newestMtime(entry) {
  let stat;
  try {
    stat = fs.statSync(entry);
  } catch {
    return 0;
  }
  if (!stat.isDirectory()) return stat.mtimeMs;
  let newest = stat.mtimeMs; // a deleted file changes its folder's time
  for (const name of fs.readdirSync(entry)) {
    // Installed trees are no build input (bench/peers/.deps: the peers the comparison bench installs on demand).
    if (name === 'node_modules' || name === '.deps') continue;
    newest = Math.max(newest, newestMtime(path.join(entry, name)));
  }
  return newest;
}

const newestInput = Math.max(...inputs.map((input) => newestMtime(path.join(root, input))));
const stamp = fs.existsSync(stampFile) ? Number(fs.readFileSync(stampFile, 'utf8')) : 0;
if (stamp >= newestInput && fs.existsSync(path.join(root, 'dist', 'src', 'cli', 'index.js'))) process.exit(0);

execSync('npm run build --silent', { cwd: root, stdio: 'inherit' });
fs.writeFileSync(stampFile, String(newestInput));
