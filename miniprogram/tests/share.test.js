const assert = require('node:assert/strict');
const { test } = require('node:test');

const { shareCode } = require('../api/share');

const CODE = 'K4VT1J8BEQZQK1ZAS6JDEHPX8WSSHTNG';

test('every way in gives the same code', () => {
  assert.equal(shareCode({ scene: CODE }), CODE); // a scanned mini-program code
  assert.equal(shareCode({ scene: encodeURIComponent(CODE.toLowerCase()) }), CODE);
  assert.equal(shareCode({ q: encodeURIComponent(`https://wx.example.com/S/${CODE}`) }), CODE);
  assert.equal(shareCode({ q: encodeURIComponent(`https://wx.example.com/s/${CODE}?from=qr`) }),
    CODE);
  assert.equal(shareCode({ code: CODE }), CODE); // a chat card's path
});

test('what cannot be a code is empty, and lookalikes read as the server reads them', () => {
  assert.equal(shareCode({}), '');
  assert.equal(shareCode({ scene: 'not-a-code' }), '');
  assert.equal(shareCode({ code: CODE.replace(/1/g, 'I') }), CODE);
});
