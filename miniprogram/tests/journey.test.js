// The mini-program's journey against the live backend (`make test-miniprogram` starts it on the
// embedded defaults and sets WXALBUM_API): two phones, every call through the client module.

const assert = require('node:assert/strict');
const path = require('node:path');
const { test } = require('node:test');

const config = require('../config');
const api = require('../api/client');
const { shareCode } = require('../api/share');
const { uploadAvatar, uploadPhotoDirect, uploadPhotos, untilReady } = require('../api/upload');
const { makeWx, shots } = require('./wx');

const PHOTO = path.join(__dirname, 'fixtures', 'photo.jpg');
const base = process.env.WXALBUM_API;

test('the journey, two phones against the real server', { skip: !base && 'run by make test-miniprogram' }, async () => {
  config.baseUrl = base;
  config.maxRetries = 10;
  const run = Date.now().toString(36);
  const ada = makeWx({ code: `ada-${run}` });
  const bo = makeWx({ code: `bo-${run}` });

  global.wx = ada;
  await api.login();
  await api.put('/api/v1/me', { nickname: 'Ada' });
  const me = await uploadAvatar(PHOTO);
  assert.equal(me.avatar.review, 'unchecked');
  const album = await api.post('/api/v1/albums', { title: '小程序的相册', visibility: 'members' });

  // Twelve picked at once, through the queue (the first answered busy on its way, and sent
  // again); and one more through a direct-upload ticket.
  const picked = shots(12);
  ada.answerBusy(1);
  const results = await uploadPhotos(album.id, picked, { concurrency: 4 });
  assert.deepEqual(results.filter((r) => r.error), []);
  const uploads = ada.sent.filter((r) => r.kind === 'upload' && r.url.endsWith('/photos'));
  assert.equal(uploads.length, 13); // 12, and the busy one's second try
  const ready = await Promise.all(results.map((r) => untilReady(r.photo)));
  assert.ok(ready.every((photo) => photo.state === 'ready' && photo.urls.thumb));
  const direct = await uploadPhotoDirect(album.id, shots(1)[0]);
  let listed = [];
  for (let page = `/api/v1/albums/${album.id}/photos?page_size=5`; page;) {
    const body = await api.get(page.replace(config.baseUrl, ''));
    listed = listed.concat(body.results);
    page = body.next;
  }
  assert.equal(listed.length, 13);
  assert.ok(listed.some((p) => p.id === direct.id));

  const share = await api.post(`/api/v1/albums/${album.id}/share`, { role: 'viewer' });

  // The second phone opens the share every way there is, and joins.
  global.wx = bo;
  await api.login();
  const ways = [{ scene: share.code }, { q: encodeURIComponent(share.url) }, { code: share.code }];
  for (const options of ways) {
    const opened = await api.get(`/api/v1/shortlinks/${shareCode(options)}`);
    assert.equal(opened.album_id, album.id);
  }
  const photo = listed[0];
  const comment = await api.post(`/api/v1/photos/${photo.id}/comments`, { body: '真好看' });

  global.wx = ada;
  await api.post(`/api/v1/photos/${photo.id}/comments`, { body: '谢谢', parent_id: comment.id });
  const liked = await api.put(`/api/v1/comments/${comment.id}/like`);
  assert.deepEqual(liked, { liked: true, like_count: 1 });

  global.wx = bo;
  const read = await api.get(`/api/v1/comments/${comment.id}`);
  const edited = await api.put(`/api/v1/comments/${comment.id}`, { body: '真好看！' },
    { ifMatch: read.etag });
  assert.equal(edited.body, '真好看！');
  await assert.rejects(  // an edit made from a stale copy is refused, not lost
    api.put(`/api/v1/comments/${comment.id}`, { body: '旧的' }, { ifMatch: read.etag }),
    { status: 412, code: 'precondition_failed' },
  );
  const report = await api.post('/api/v1/reports',
    { target_type: 'photo', target_id: photo.id, reason: 'other' });
  assert.equal(report.status, 'open');

  global.wx = ada;
  const boUser = (await api.get(`/api/v1/albums/${album.id}/members`)).results
    .find((m) => m.user.nickname !== 'Ada').user;
  await api.del(`/api/v1/albums/${album.id}/members/${boUser.id}`);

  global.wx = bo;
  await assert.rejects(api.get(`/api/v1/shortlinks/${share.code}`),
    { status: 403, code: 'removed_from_album' });
  const thread = await api.get(`/api/v1/photos/${photo.id}/comments`).catch((e) => e);
  assert.equal(thread.status, 404); // no longer a member of a members-only album
  assert.ok(!ada.sent.concat(bo.sent).some((r) => r.method === 'PATCH'));
});
