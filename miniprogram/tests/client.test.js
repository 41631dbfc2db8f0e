// The client module against a stand-in server that answers what each test needs.

const assert = require('node:assert/strict');
const http = require('node:http');
const { test, before, after } = require('node:test');

const config = require('../config');
const api = require('../api/client');
const { makeWx } = require('./wx');

let server;
let answers = []; // what the stand-in answers next: [status, body, headers]
let seen = [];

before(async () => {
  server = http.createServer((req, res) => {
    let body = '';
    req.on('data', (chunk) => { body += chunk; });
    req.on('end', () => {
      seen.push({ method: req.method, url: req.url, headers: req.headers, body });
      const [status, answer, headers] = answers.shift() || [200, {}, {}];
      const type = status >= 400 ? 'application/problem+json' : 'application/json';
      res.writeHead(status, { 'Content-Type': type, ...headers });
      res.end(JSON.stringify(answer));
    });
  });
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  config.baseUrl = `http://127.0.0.1:${server.address().port}`;
});

after(() => server.close());

function fresh(...next) {
  answers = next;
  seen = [];
  global.wx = makeWx({ code: 'code-ada' });
}

test('a problem document becomes an ApiError with its code, detail and errors', async () => {
  fresh([400, { code: 'invalid', title: '请求有误', detail: 'see errors',
    errors: { title: ['太长'] } }]);

  await assert.rejects(api.post('/api/v1/albums', { title: 'x' }), (error) => {
    assert.equal(error.name, 'ApiError');
    assert.deepEqual([error.status, error.code, error.detail], [400, 'invalid', 'see errors']);
    assert.deepEqual(error.errors, { title: ['太长'] });
    return true;
  });
});

test('a 401 logs in again with wx.login once and the call is retried with the new token', async () => {
  fresh([401, { code: 'authentication_failed' }],
    [200, { token: 'T-new', expires_in: 7200, user: { id: 1 } }],
    [200, { id: 7 }]);

  const album = await api.get('/api/v1/albums/7');

  assert.equal(album.id, 7);
  assert.deepEqual(seen.map((r) => r.url), ['/api/v1/albums/7', '/api/v1/auth/login',
    '/api/v1/albums/7']);
  assert.equal(JSON.parse(seen[1].body).code, 'code-ada');
  assert.equal(seen[2].headers.authorization, 'Bearer T-new');
});

test('a second 401 in a row is the caller\'s: no endless logins', async () => {
  fresh([401, { code: 'authentication_failed' }], [200, { token: 'T', user: {} }],
    [401, { code: 'authentication_failed' }]);

  await assert.rejects(api.get('/api/v1/me'), { code: 'authentication_failed' });
  assert.equal(seen.filter((r) => r.url === '/api/v1/auth/login').length, 1);
});

test('a 503 is waited out for its Retry-After and the create keeps its Idempotency-Key', async () => {
  fresh([503, { code: 'busy' }, { 'Retry-After': '1' }], [201, { id: 3 }]);
  const started = Date.now();

  const album = await api.post('/api/v1/albums', { title: '大理', visibility: 'members' });

  assert.equal(album.id, 3);
  assert.ok(Date.now() - started >= 1000, 'waited the Retry-After');
  const keys = seen.map((r) => r.headers['idempotency-key']);
  assert.ok(keys[0]);
  assert.equal(keys[0], keys[1]);
});

test('retries are bounded: the last 429 is thrown', async () => {
  const limit = config.maxRetries;
  config.maxRetries = 1;
  fresh([429, { code: 'throttled' }, { 'Retry-After': '0' }],
    [429, { code: 'throttled' }, { 'Retry-After': '0' }]);
  try {
    await assert.rejects(api.put('/api/v1/me', { nickname: 'Ada' }), { code: 'throttled' });
    assert.equal(seen.length, 2);
  } finally {
    config.maxRetries = limit;
  }
});

test('edits are PUTs with If-Match, and PATCH is never sent', async () => {
  fresh([200, { id: 3, title: 'b' }, { ETag: '"v2"' }]);

  const edited = await api.put('/api/v1/albums/3', { title: 'b' }, { ifMatch: '"v1"' });
  await assert.rejects(api.request('PATCH', '/api/v1/albums/3', { title: 'c' }), /PATCH/);

  assert.equal(edited.etag, '"v2"');
  assert.deepEqual(seen.map((r) => [r.method, r.headers['if-match']]), [['PUT', '"v1"']]);
});

test('Accept-Language follows the phone', async () => {
  fresh([200, {}]);
  global.wx = makeWx({ code: 'c', language: 'en' });

  await api.get('/api/v1/me');

  assert.equal(seen[0].headers['accept-language'], 'en');
});

test('an upload answered busy is sent again after its Retry-After, with the same key', async () => {
  const { uploadPhotos } = require('../api/upload');
  const photo = require('node:path').join(__dirname, 'fixtures', 'photo.jpg');
  fresh([503, { code: 'busy' }, { 'Retry-After': '1' }], [201, { id: 11 }], [201, { id: 12 }]);

  const results = await uploadPhotos(5, [photo, photo], { concurrency: 1 });

  assert.deepEqual(results.map((r) => r.photo && r.photo.id), [11, 12]);
  assert.equal(seen.length, 3);
  assert.equal(seen[0].headers['idempotency-key'], seen[1].headers['idempotency-key']);
  assert.notEqual(seen[1].headers['idempotency-key'], seen[2].headers['idempotency-key']);
  assert.ok(seen.every((r) => r.headers['content-type'].startsWith('multipart/form-data')));
  assert.ok(seen[0].body.includes('name="caption"'));
});

test('a photo answered processing is asked for again until it is ready', async () => {
  const { untilReady } = require('../api/upload');
  fresh([200, { id: 11, state: 'processing', urls: null }],
    [200, { id: 11, state: 'ready', urls: { thumb: 'https://cdn/t.jpg' } }]);

  const photo = await untilReady({ id: 11, state: 'processing', urls: null }, { interval: 0.01 });

  assert.equal(photo.state, 'ready');
  assert.equal(photo.urls.thumb, 'https://cdn/t.jpg');
  assert.deepEqual(seen.map((r) => r.url), ['/api/v1/photos/11', '/api/v1/photos/11']);
});

test('waiting for a photo is bounded: one still processing is given back as it is', async () => {
  const { untilReady } = require('../api/upload');
  fresh([200, { id: 12, state: 'processing', urls: null }],
    [200, { id: 12, state: 'processing', urls: null }]);

  const photo = await untilReady({ id: 12, state: 'processing' }, { interval: 0.01, attempts: 2 });

  assert.equal(photo.state, 'processing');
  assert.equal(seen.length, 2);
});
