// The sample pages, loaded with miniprogram-simulate (they are written with Component() so it
// can), against the live backend through the real client module; and the project in WeChat
// DevTools' format.

const assert = require('node:assert/strict');
const fs = require('node:fs');
const path = require('node:path');
const { test } = require('node:test');

// miniprogram-simulate renders into a DOM, as under jest's jsdom environment.
const { JSDOM } = require('jsdom');

const dom = new JSDOM('<!doctype html><html><body></body></html>');
for (const name of ['window', 'document', 'navigator', 'HTMLElement', 'Node', 'Event']) {
  if (!(name in global)) Object.defineProperty(global, name, { value: dom.window[name], configurable: true, writable: true });
}
const simulate = require('miniprogram-simulate');

const config = require('../config');
const api = require('../api/client');
const { makeWx, shots } = require('./wx');

const root = path.join(__dirname, '..');
const PHOTO = path.join(__dirname, 'fixtures', 'photo.jpg');
const base = process.env.WXALBUM_API;
const live = { skip: !base && 'run by make test-miniprogram' };

const loaded = {};

function page(name) {
  // Each page under its own tag: simulate keeps one template per tag name.
  loaded[name] = loaded[name] || simulate.load(path.join(root, 'pages', name, 'index'),
    `page-${name}`, { rootPath: root });
  const id = loaded[name];
  const rendered = simulate.render(id);
  rendered.attach(document.createElement('parent-wrapper'));
  return rendered;
}

/** A phone (the wx shim) with simulate's own wx functions kept where the shim has none. */
async function phone(code) {
  global.wx = { ...global.wx, ...makeWx({ code }) };
  await api.login();
  return global.wx;
}

test('the project opens in DevTools: app.json lists pages that each have their four files', () => {
  const app = JSON.parse(fs.readFileSync(path.join(root, 'app.json'), 'utf8'));
  const project = JSON.parse(fs.readFileSync(path.join(root, 'project.config.json'), 'utf8'));

  assert.equal(project.compileType, 'miniprogram');
  assert.ok(fs.existsSync(path.join(root, app.sitemapLocation)));
  for (const file of ['app.js', 'app.wxss']) assert.ok(fs.existsSync(path.join(root, file)));
  assert.ok(app.pages.length >= 4);
  for (const name of app.pages) {
    for (const extension of ['js', 'json', 'wxml', 'wxss']) {
      assert.ok(fs.existsSync(path.join(root, `${name}.${extension}`)), `${name}.${extension}`);
    }
    assert.deepEqual(JSON.parse(fs.readFileSync(path.join(root, `${name}.json`))).usingComponents,
      {});
  }
});

test('my albums: the list, and a new album added to it', live, async () => {
  config.baseUrl = base;
  await phone(`pages-ada-${Date.now()}`);
  const albums = page('albums');

  await albums.instance.onLoad();
  assert.match(albums.dom.innerHTML, /还没有相册/);
  albums.instance.onTitle({ detail: { value: '页面里建的相册' } });
  await albums.instance.create();

  assert.match(albums.dom.innerHTML, /页面里建的相册/);
  assert.equal(albums.querySelectorAll('.album').length, 1);
});

test('an album: photos picked are uploaded with progress and shown in the grid', live, async () => {
  config.baseUrl = base;
  await phone(`pages-bo-${Date.now()}`);
  const created = await api.post('/api/v1/albums', { title: '上传', visibility: 'members' });
  const album = page('album');

  await album.instance.onLoad({ id: String(created.id) });
  const results = await album.instance.upload(shots(3));

  assert.deepEqual(results.filter((r) => r.error), []);
  assert.equal(album.querySelectorAll('.thumb').length, 3);
  assert.deepEqual(album.data.progress, [100, 100, 100]);
  assert.match(album.instance.onShareAppMessage().path, new RegExp(`id=${created.id}$`));
});

test('join: a share opens the album; a removed member sees why', live, async () => {
  config.baseUrl = base;
  const owner = await phone(`pages-owner-${Date.now()}`);
  const album = await api.post('/api/v1/albums', { title: '分享', visibility: 'members' });
  const share = await api.post(`/api/v1/albums/${album.id}/share`, { role: 'viewer' });
  const guest = await phone(`pages-guest-${Date.now()}`);
  const opened = page('join');

  // A scanned code opens the album page (the backend's page for shares), which hands it on.
  await page('album').instance.onLoad({ scene: share.code });
  await opened.instance.onLoad({ q: encodeURIComponent(share.url) });
  assert.deepEqual(guest.navigations, [`/pages/join/index?code=${share.code}`,
    `/pages/album/index?id=${album.id}`]);

  const me = await api.get('/api/v1/me');
  global.wx = owner;
  await api.del(`/api/v1/albums/${album.id}/members/${me.id}`);
  global.wx = guest;
  const refused = page('join');
  await refused.instance.onLoad({ scene: share.code });

  assert.match(refused.dom.innerHTML, /移出相册/);
});

test('me: a nickname saved with If-Match, an avatar uploaded, the deletion asked and cancelled', live, async () => {
  config.baseUrl = base;
  await phone(`pages-me-${Date.now()}`);
  const me = page('profile');

  await me.instance.onLoad();
  me.instance.onNickname({ detail: { value: '小明' } });
  await me.instance.saveNickname();
  await me.instance.onChooseAvatar({ detail: { avatarUrl: PHOTO } });
  await me.instance.deleteAccount();
  assert.ok(me.data.me.deletion_at);
  await me.instance.cancelDeletion();

  assert.equal(me.data.me.nickname, '小明');
  assert.equal(me.data.me.deletion_at, null);
  assert.match(me.data.me.avatar.thumb_url, /\/avatars\/.+\/thumb\.jpg$/);
  assert.doesNotMatch(me.dom.innerHTML, />头像</); // the picture, not the placeholder
});

test('a photo: a comment, a reply, a like, a stale edit refused, a report', live, async () => {
  config.baseUrl = base;
  await phone(`pages-photo-${Date.now()}`);
  const album = await api.post('/api/v1/albums', { title: '评论', visibility: 'members' });
  const { uploadPhoto } = require('../api/upload');
  const uploaded = await uploadPhoto(album.id, PHOTO, { caption: '湖边' });
  const photo = page('photo');

  await photo.instance.onLoad({ id: String(uploaded.id) });
  photo.instance.onDraft({ detail: { value: '第一条' } });
  await photo.instance.send();
  const first = photo.data.comments[0];
  photo.instance.reply({ currentTarget: { dataset: { id: first.id } } });
  photo.instance.onDraft({ detail: { value: '回复' } });
  await photo.instance.send();
  await photo.instance.like({ currentTarget: { dataset: { id: first.id } } });
  const read = await api.get(`/api/v1/comments/${first.id}`);
  await photo.instance.edit(first.id, '改过', read.etag);
  await photo.instance.edit(first.id, '旧的', read.etag); // the copy read before the edit
  await photo.instance.report(8, '测试');

  assert.deepEqual(photo.data.comments.map((c) => [c.body, c.parent_id !== null]),
    [['改过', false], ['回复', true]]);
  assert.equal(photo.data.comments[0].like_count, 1);
  assert.match(photo.dom.innerHTML, /已在别处修改/);
  assert.match(photo.dom.innerHTML, /已收到你的举报/);
  assert.match(photo.dom.innerHTML, /湖边/);
});

test('share: the mini-program code, the plain QR, and a chat card that opens the join page', live, async () => {
  config.baseUrl = base;
  await phone(`pages-share-${Date.now()}`);
  const album = await api.post('/api/v1/albums', { title: '分享页', visibility: 'members' });
  const share = page('share');

  await share.instance.onLoad({ albumId: String(album.id) });

  const { code, wxacode, qr_png: qr } = share.data.share;
  assert.match(wxacode, new RegExp(`/s/${code}/wxacode$`));
  assert.match(qr, new RegExp(`/s/${code}/qr\\.png$`));
  assert.equal(share.instance.onShareAppMessage().path, `/pages/join/index?code=${code}`);
  assert.equal(share.querySelectorAll('.code').length, 2);
});
