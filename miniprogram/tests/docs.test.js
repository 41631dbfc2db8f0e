// Every JavaScript block in docs/miniprogram.md is checked against the module: it parses, each
// module it requires exists, and each name it takes from one (or calls on the client) is
// exported there. A snippet that drifts from the code fails here.

const assert = require('node:assert/strict');
const fs = require('node:fs');
const path = require('node:path');
const { test } = require('node:test');

const root = path.join(__dirname, '..');
const doc = fs.readFileSync(path.join(root, '..', 'docs', 'miniprogram.md'), 'utf8');
const blocks = [...doc.matchAll(/```js\n([\s\S]*?)```/g)].map((match) => match[1]);
const AsyncFunction = Object.getPrototypeOf(async () => {}).constructor;

test('the document has its snippets', () => {
  assert.ok(blocks.length >= 5);
});

blocks.forEach((code, index) => {
  test(`snippet ${index + 1} parses and uses only what the module exports`, () => {
    assert.doesNotThrow(() => new AsyncFunction('Component', 'wx', code), code);
    for (const found of code.matchAll(/(?:const\s+(\{[^}]*\}|\w+)\s*=\s*)?require\('([^']+)'\)/g)) {
      const [, bound, target] = found;
      // Snippets are written as in a page two folders down (pages/<name>/index.js).
      const file = path.join(root, 'pages', 'any', target);
      const exported = require(file);
      if (bound && bound.startsWith('{')) {
        for (const name of bound.slice(1, -1).split(',').map((n) => n.trim()).filter(Boolean)) {
          assert.ok(name in exported, `${target} exports no ${name}`);
        }
      } else if (bound) {
        for (const [, name] of code.matchAll(new RegExp(`\\b${bound}\\.(\\w+)\\(`, 'g'))) {
          assert.ok(name in exported, `${target} exports no ${name}`);
        }
      }
    }
  });
});
