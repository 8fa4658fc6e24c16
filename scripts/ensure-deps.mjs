// Installs the locked dependencies when node_modules is missing or was installed from another
// package-lock.json, so the README's two commands work on a fresh clone with nothing but Node.
// Compared by content, not by time: a checkout (a new clone, a git worktree, a merge) gives the
// lock file a new mtime without changing what it locks.
import { execSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, lstatSync, readFileSync, writeFileSync } from 'node:fs';

const lockHash = createHash('sha256').update(readFileSync('package-lock.json')).digest('hex');
const stamp = 'node_modules/.muckwatch-lock-sha256';
const installed = existsSync(stamp) ? readFileSync(stamp, 'utf8').trim() : null;
// npm's own copy of the lock it installed from: equal content means the same tree.
const npmCopy = 'node_modules/.package-lock.json';
const sameAsNpm = (() => {
  if (!existsSync(npmCopy)) return false;
  const { packages: want } = JSON.parse(readFileSync('package-lock.json', 'utf8'));
  const { packages: have } = JSON.parse(readFileSync(npmCopy, 'utf8'));
  const names = Object.keys(want).filter((name) => name !== '' && !want[name].optional);
  return names.every((name) => have[name]?.version === want[name].version);
})();

if (installed === lockHash || (installed === null && sameAsNpm)) {
  if (installed === null) writeFileSync(stamp, `${lockHash}\n`);
} else if (existsSync('node_modules') && lstatSync('node_modules').isSymbolicLink()) {
  // A shared install (a git worktree linking another checkout's node_modules): npm ci here would
  // empty the other checkout's tree. Say so and leave it alone.
  console.warn('muckwatch: node_modules is a link to another install whose lock differs; run npm ci where it lives');
} else {
  console.log('muckwatch: installing dependencies (npm ci)…');
  execSync('npm ci --no-audit --no-fund', { stdio: 'inherit' });
  writeFileSync(stamp, `${lockHash}\n`);
}
