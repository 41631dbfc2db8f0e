// The share code a page was opened with, whichever way in:
//   a scanned mini-program code   onLoad({scene: '<code>'})            (URL-encoded)
//   a plain QR code               onLoad({q: 'https%3A%2F%2F.../S/<code>'})
//   a URL scheme (weixin://...)   onLoad({scene: '<code>'})            (query=scene%3D<code>)
//   a chat card                   onLoad({code: '<code>'})             (the path shared)
//
//   const { shareCode } = require('../../api/share');
//   Page({ onLoad(options) { const code = shareCode(options); ... } });

const ALPHABET = /^[0-9A-HJKMNP-TV-Z]{32}$/; // Crockford base32, as the server writes codes
/** @type {Object<string, string>} */
const LOOKALIKES = { O: '0', I: '1', L: '1' };

/**
 * A code as the server stores it, or '' when `raw` cannot be one.
 * @param {unknown} raw
 */
function normalise(raw) {
  if (typeof raw !== 'string') return '';
  const code = raw.trim().toUpperCase().replace(/[OIL]/g, (c) => LOOKALIKES[c]);
  return ALPHABET.test(code) ? code : '';
}

/** @param {string} value */
function decode(value) {
  try {
    return decodeURIComponent(value);
  } catch (e) {
    return value;
  }
}

/**
 * The share code in a page's onLoad options (or App.onLaunch's query), or ''.
 * @param {{scene?: string, q?: string, code?: string} | undefined} options
 */
function shareCode(options) {
  const query = options || {};
  if (query.code) return normalise(decode(query.code));
  if (query.scene) return normalise(decode(query.scene));
  if (query.q) {
    const url = decode(query.q).split(/[?#]/)[0];
    return normalise(url.slice(url.lastIndexOf('/') + 1));
  }
  return '';
}

module.exports = { shareCode, normalise };
