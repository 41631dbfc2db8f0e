// Photos and avatars up with wx.uploadFile, which has no Promise form, answers a string, and
// calls `success` for 4xx and 5xx too.
//
//   const { uploadPhotos } = require('../../api/upload');
//   const { tempFiles } = await wx.chooseMedia({ count: 20, mediaType: ['image'] });
//   const results = await uploadPhotos(albumId, tempFiles.map((f) => f.tempFilePath), {
//     onProgress: (index, percent) => this.setData({ [`progress[${index}]`]: percent }),
//   });
//
// uploadPhotos sends config.uploadConcurrency files at a time and waits out `busy` and 429
// answers (their Retry-After), so a selection of 20 ends as 20 photos, each result in the
// order picked: {photo} or {error}. A photo is answered as soon as the server has stored it,
// often `state: "processing"` with `urls` null; untilReady(photo) waits for its renditions.

const config = require('../config');
const client = require('./client');
const { ApiError, fromAnswer } = require('./errors');

/**
 * One wx.uploadFile as a Promise of the parsed JSON answer. Returns {promise, cancel}.
 * @param {{url: string, filePath: string, name?: string, formData?: Object,
 *          header?: Object, onProgress?: (percent: number) => void}} options
 * @returns {{promise: Promise<any>, cancel: () => void}}
 */
function uploadFile(options) {
  /** @type {WechatMiniprogram.UploadTask | null} */
  let task = null;
  const promise = new Promise((resolve, reject) => {
    task = wx.uploadFile({
      url: options.url,
      filePath: options.filePath,
      name: options.name || 'file',
      formData: options.formData || {},
      header: options.header || {},
      success(res) {
        if (res.statusCode >= 400) {
          // Retry-After is read where the runtime hands headers over (its typings do not say).
          reject(fromAnswer(res.statusCode, res.data, /** @type {any} */ (res).header));
          return;
        }
        let body = null;
        try {
          body = res.data ? JSON.parse(res.data) : null;
        } catch (e) {
          body = null; // storage answers 204 or XML; nothing to read
        }
        resolve(body);
      },
      fail: (err) => reject(new ApiError({ status: 0, code: 'network', detail: err.errMsg })),
    });
    const onProgress = options.onProgress;
    if (task && onProgress) {
      task.onProgressUpdate((update) => onProgress(update.progress));
    }
  });
  return { promise, cancel: () => { if (task) task.abort(); } };
}

/**
 * An upload to the API as the logged-in user, with the same retries as client.request.
 * @param {string} path
 * @param {string} filePath
 * @param {{formData?: Object, onProgress?: (percent: number) => void, idempotent?: boolean}} [options]
 */
async function uploadToApi(path, filePath, { formData, onProgress, idempotent = true } = {}) {
  const idempotencyKey = idempotent ? client.newKey() : '';
  return client.withRetries((header) => uploadFile({ url: config.baseUrl + path, filePath,
    formData, header, onProgress }).promise, { idempotencyKey });
}

/**
 * One photo straight to the API (multipart `file` and `caption`).
 * @param {number} albumId
 * @param {string} filePath
 * @param {{caption?: string, onProgress?: (percent: number) => void}} [options]
 */
function uploadPhoto(albumId, filePath, { caption = '', onProgress } = {}) {
  return uploadToApi(`/api/v1/albums/${albumId}/photos`, filePath,
    { formData: { caption }, onProgress });
}

/**
 * One photo through a direct-upload ticket: to the bucket (or the local form) first, and
 * `complete` only once wx.uploadFile has said the file arrived.
 * @param {number} albumId
 * @param {string} filePath
 * @param {{contentType?: string, onProgress?: (percent: number) => void}} [options]
 */
async function uploadPhotoDirect(albumId, filePath, { contentType = 'image/jpeg', onProgress } = {}) {
  const ticket = await client.post(`/api/v1/albums/${albumId}/uploads`,
    { content_type: contentType });
  await uploadFile({ url: ticket.url, filePath, formData: ticket.fields, onProgress }).promise;
  return client.post(`/api/v1/uploads/${ticket.upload_id}/complete`);
}

/**
 * The avatar from <button open-type="chooseAvatar">: answers the profile.
 * @param {string} filePath
 * @param {{onProgress?: (percent: number) => void}} [options]
 */
function uploadAvatar(filePath, { onProgress } = {}) {
  return uploadToApi('/api/v1/me/avatar', filePath, { onProgress, idempotent: false });
}

/**
 * Every file of a selection, config.uploadConcurrency at a time. Resolves to one result per
 * file, in order: {photo} or {error} (an error that retries could not cure).
 * @param {number} albumId
 * @param {string[]} filePaths
 * @param {{onProgress?: (index: number, percent: number) => void, concurrency?: number}} [options]
 * @returns {Promise<Array<{photo?: any, error?: any}>>}
 */
async function uploadPhotos(albumId, filePaths, { onProgress, concurrency } = {}) {
  /** @type {Array<{photo?: any, error?: any}>} */
  const results = new Array(filePaths.length);
  let next = 0;
  async function lane() {
    while (next < filePaths.length) {
      const index = next;
      next += 1;
      try {
        const photo = await uploadPhoto(albumId, filePaths[index], {
          onProgress: onProgress && ((/** @type {number} */ percent) => onProgress(index, percent)),
        });
        results[index] = { photo };
      } catch (error) {
        results[index] = { error };
      }
    }
  }
  const lanes = Math.min(concurrency || config.uploadConcurrency, filePaths.length);
  await Promise.all(Array.from({ length: lanes }, lane));
  return results;
}

/**
 * The photo once the server has made its renditions: asks again every `interval` seconds,
 * at most `attempts` times, while it is `processing`. Resolves to the photo as last read
 * (`ready`, `failed` with its `failure`, or still `processing` when the attempts ran out).
 * @param {{id: number, state: string}} photo
 * @param {{interval?: number, attempts?: number}} [options]
 */
async function untilReady(photo, { interval = 1, attempts = 30 } = {}) {
  let current = photo;
  for (let tries = 0; current.state === 'processing' && tries < attempts; tries += 1) {
    await client.sleep(interval);
    current = await client.get(`/api/v1/photos/${photo.id}`);
  }
  return current;
}

module.exports = {
  uploadFile, uploadPhoto, uploadPhotoDirect, uploadAvatar, uploadPhotos, untilReady,
};
