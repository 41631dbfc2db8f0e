// One source of truth for shapes: api/types.d.ts is what openapi-typescript makes of the live
// schema, and the client module type-checks (tsc --strict over its JSDoc) with it.

const assert = require('node:assert/strict');
const { execFileSync } = require('node:child_process');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const { test } = require('node:test');

const root = path.join(__dirname, '..');
const bin = (name) => path.join(root, 'node_modules', '.bin', name);
const base = process.env.WXALBUM_API;

test('the checked-in types are the live schema\'s', { skip: !base && 'run by make test-miniprogram' }, () => {
  const fresh = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'types-')), 'types.d.ts');

  execFileSync(bin('openapi-typescript'), [`${base}/api/schema/?format=json`, '-o', fresh],
    { stdio: 'pipe' });

  const checkedIn = fs.readFileSync(path.join(root, 'api', 'types.d.ts'), 'utf8');
  assert.ok(fs.readFileSync(fresh, 'utf8') === checkedIn,
    'api/types.d.ts drifted from the schema: run `npm run types` with WXALBUM_API set');
});

test('the client module passes tsc --strict', () => {
  const result = (() => {
    try {
      return execFileSync(bin('tsc'), ['-p', 'jsconfig.json'], { cwd: root, encoding: 'utf8' });
    } catch (error) {
      return `${error.stdout}${error.stderr}`;
    }
  })();

  assert.equal(result.trim(), '');
});
