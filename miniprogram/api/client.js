// The one way pages talk to the backend: a Promise over wx.request.
//
//   const api = require('../../api/client');
//   const albums = await api.get('/api/v1/albums');
//   const album = await api.post('/api/v1/albums', { title: '大理', visibility: 'members' });
//   await api.put(`/api/v1/albums/${album.id}`, { ...fields }, { ifMatch: album.etag });
//
// What it does for every call: the base URL from config.js, the bearer token, Accept-Language
// from the phone's language, JSON bodies; a problem document becomes an ApiError with `code`,
// `status`, `detail` and `errors`. A 401 logs in again with wx.login, once, and the call is
// retried; a 429 or 503 is waited out (its Retry-After) up to config.maxRetries times (uploads
// go through the same withRetries); a
// create (POST) carries an Idempotency-Key that stays the same across those retries, so a
// retried create never makes two. wx.request has no PATCH: edits are PUTs of every editable
// field, with If-Match from the ETag the object was read with.

const config = require('../config');
const { ApiError, fromAnswer, headerOf } = require('./errors');

const TOKEN = 'wxalbum.token';

function language() {
  try {
    const { language: lang } = wx.getSystemInfoSync();
    return lang && lang.toLowerCase().startsWith('en') ? 'en' : 'zh-CN';
  } catch (e) {
    return 'zh-CN';
  }
}

/** A new Idempotency-Key: unique enough for one user's creates within 24 hours. */
function newKey() {
  const random = () => Math.random().toString(16).slice(2, 10);
  return `${Date.now().toString(16)}-${random()}-${random()}`;
}

/** @param {number} seconds */
function sleep(seconds) {
  return new Promise((resolve) => setTimeout(resolve, seconds * 1000));
}

/**
 * @param {{url: string, method: Method, data?: Object, header: Object<string, string>}} options
 * @returns {Promise<WechatMiniprogram.RequestSuccessCallbackResult>}
 */
function send(options) {
  return new Promise((resolve, reject) => {
    wx.request({
      ...options,
      success: resolve, // every HTTP status lands here, 4xx and 5xx included
      fail: (err) => reject(new ApiError({ status: 0, code: 'network', detail: err.errMsg })),
    });
  });
}

/** @typedef {'GET'|'POST'|'PUT'|'DELETE'} Method */

/** @type {Promise<any> | null} */
let loggingIn = null;

/** Log in with wx.login and keep the token; concurrent callers share one login. */
function login() {
  if (!loggingIn) {
    loggingIn = (async () => {
      const { code } = await new Promise((resolve, reject) => {
        wx.login({ success: resolve, fail: (err) => reject(new ApiError({
          status: 0, code: 'login_failed', detail: err.errMsg })) });
      });
      const answer = await request('POST', '/api/v1/auth/login', { code }, { auth: false });
      wx.setStorageSync(TOKEN, answer.token);
      return answer.user;
    })().finally(() => {
      loggingIn = null;
    });
  }
  return loggingIn;
}

function token() {
  return wx.getStorageSync(TOKEN) || '';
}

/**
 * Sends one call until it is answered, as every call to the backend is sent: with the phone's
 * language, the bearer token (unless `auth` is false) and the Idempotency-Key given; a 401
 * logs in again, once, and sends again; a 429 or 503 is waited out (its Retry-After) up to
 * config.maxRetries times. `attempt` sends with the headers it is given and resolves to its
 * result, or rejects with an ApiError.
 * @template T
 * @param {(header: Object<string, string>) => Promise<T>} attempt
 * @param {{auth?: boolean, idempotencyKey?: string, headers?: Object<string, string>}} [options]
 * @returns {Promise<T>}
 */
async function withRetries(attempt, { auth = true, idempotencyKey = '', headers = {} } = {}) {
  let loggedInAgain = false;
  for (let tries = 0; ; tries += 1) {
    /** @type {Object<string, string>} */
    const header = { 'Accept-Language': language(), ...headers };
    const bearer = auth ? token() : '';
    if (bearer) header.Authorization = `Bearer ${bearer}`;
    if (idempotencyKey) header['Idempotency-Key'] = idempotencyKey;
    try {
      return await attempt(header);
    } catch (caught) {
      if (!(caught instanceof ApiError)) throw caught;
      if (caught.status === 401 && auth && !loggedInAgain) {
        loggedInAgain = true;
        await login();
        continue;
      }
      if ((caught.status === 429 || caught.status === 503) && tries < config.maxRetries) {
        await sleep(caught.retryAfter || 1);
        continue;
      }
      throw caught;
    }
  }
}

/**
 * One API call. Resolves to the parsed body (with `etag` set on objects that came with one),
 * or null for 204; rejects with an ApiError.
 * @param {Method | 'PATCH'} method  (PATCH is refused: wx.request cannot send it)
 * @param {string} path  from /api/v1/...
 * @param {Object} [data]
 * @param {RequestOptions} [options]
 * @returns {Promise<any>}
 */
async function request(method, path, data, options = {}) {
  if (method === 'PATCH') {
    throw new Error('wx.request cannot send PATCH: PUT every editable field instead');
  }
  const auth = options.auth !== false;
  const idempotencyKey = method === 'POST' && auth ? options.idempotencyKey || newKey() : '';
  /** @type {Object<string, string>} */
  const headers = { 'Content-Type': 'application/json' };
  if (options.ifMatch) headers['If-Match'] = options.ifMatch;
  return withRetries(async (header) => {
    const res = await send({ url: config.baseUrl + path, method, data, header });
    if (res.statusCode >= 400) throw fromAnswer(res.statusCode, res.data, res.header);
    /** @type {any} */
    const body = res.statusCode === 204 || res.data === '' ? null : res.data;
    const etag = headerOf(res.header, 'ETag');
    if (body && typeof body === 'object' && etag) body.etag = etag;
    return body;
  }, { auth, idempotencyKey, headers });
}

/** @typedef {{ifMatch?: string, auth?: boolean, idempotencyKey?: string}} RequestOptions */

module.exports = {
  request,
  withRetries,
  login,
  token,
  language,
  newKey,
  sleep,
  /** @param {string} path @param {RequestOptions} [options] */
  get: (path, options) => request('GET', path, undefined, options),
  /** @param {string} path @param {Object} [data] @param {RequestOptions} [options] */
  post: (path, data, options) => request('POST', path, data, options),
  /** @param {string} path @param {Object} [data] @param {RequestOptions} [options] */
  put: (path, data, options) => request('PUT', path, data, options),
  /** @param {string} path @param {RequestOptions} [options] */
  del: (path, options) => request('DELETE', path, undefined, options),
  TOKEN,
};
