// A `wx` for Node that does the real thing: wx.request and wx.uploadFile over real HTTP (real
// multipart, real files), wx.login with a sandbox code, storage in memory. One per phone.

const fs = require('node:fs');
const path = require('node:path');

function headersOf(response) {
  return Object.fromEntries(response.headers.entries());
}

function makeWx({ code, language = 'zh_CN', sent = [] } = {}) {
  let busyLeft = 0;
  const storage = new Map();
  const navigations = [];
  return {
    sent, // every request and upload, for tests to look at
    // The next `count` uploads are answered 503 `busy` (Retry-After: 1) on their way, as a
    // server short of capacity or a gateway in front of it would, without reaching the server.
    answerBusy: (count) => { busyLeft = count; },
    navigations, // every navigateTo / redirectTo / reLaunch url
    navigateTo: ({ url }) => navigations.push(url),
    redirectTo: ({ url }) => navigations.push(url),
    reLaunch: ({ url }) => navigations.push(url),
    stopPullDownRefresh: () => {},
    getSystemInfoSync: () => ({ language }),
    getStorageSync: (key) => (storage.has(key) ? storage.get(key) : ''),
    setStorageSync: (key, value) => storage.set(key, value),
    removeStorageSync: (key) => storage.delete(key),
    login({ success }) {
      setTimeout(() => success({ code, errMsg: 'login:ok' }), 0);
    },
    request({ url, method = 'GET', data, header = {}, success, fail }) {
      let target = url;
      const init = { method, headers: { ...header } };
      if (data !== undefined && method === 'GET') {
        target += (url.includes('?') ? '&' : '?') + new URLSearchParams(data);
      } else if (data !== undefined) {
        init.body = JSON.stringify(data);
      }
      sent.push({ kind: 'request', method, url: target, header: init.headers });
      fetch(target, init)
        .then(async (response) => {
          const text = await response.text();
          const json = /json/.test(response.headers.get('content-type') || '');
          success({ statusCode: response.status, data: json && text ? JSON.parse(text) : text,
            header: headersOf(response) });
        })
        .catch((error) => fail({ errMsg: `request:fail ${error.message}` }));
    },
    uploadFile({ url, filePath, name, formData = {}, header = {}, success, fail }) {
      const controller = new AbortController();
      const listeners = [];
      const form = new FormData();
      for (const [key, value] of Object.entries(formData)) form.append(key, String(value));
      form.append(name, new Blob([fs.readFileSync(filePath)]), path.basename(filePath));
      sent.push({ kind: 'upload', url, header });
      if (busyLeft > 0) {
        busyLeft -= 1;
        const busy = { type: 'about:blank', title: '服务繁忙', status: 503, code: 'busy' };
        setTimeout(() => success({ statusCode: 503, data: JSON.stringify(busy),
          header: { 'content-type': 'application/problem+json', 'retry-after': '1' } }), 0);
        return { onProgressUpdate: () => {}, abort: () => {} };
      }
      fetch(url, { method: 'POST', body: form, headers: header, signal: controller.signal })
        .then(async (response) => {
          const text = await response.text();
          listeners.forEach((listener) => listener({ progress: 100 }));
          success({ statusCode: response.status, data: text, header: headersOf(response) });
        })
        .catch((error) => fail({ errMsg: `uploadFile:fail ${error.message}` }));
      return {
        onProgressUpdate: (listener) => listeners.push(listener),
        abort: () => controller.abort(),
      };
    },
  };
}

/** Act as `phone` (a makeWx()) for the calls inside `work`. */
async function as(phone, work) {
  global.wx = phone;
  return work();
}


// Photos a phone would pick: the fixture's picture, a different file each time (a few bytes after
// the image's end, which decoders skip), since the album keeps one copy of the same file.
let shot = 0;
function shots(count) {
  const fs = require('node:fs');
  const os = require('node:os');
  const path = require('node:path');
  const picture = fs.readFileSync(path.join(__dirname, 'fixtures', 'photo.jpg'));
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'shots-'));
  return Array.from({ length: count }, () => {
    shot += 1;
    const file = path.join(dir, `shot-${shot}.jpg`);
    fs.writeFileSync(file, Buffer.concat([picture, Buffer.from(`shot ${shot} ${process.pid}`)]));
    return file;
  });
}

module.exports = { makeWx, as, shots };
