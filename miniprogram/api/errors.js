// A failed call as the API described it: its problem document (application/problem+json),
// or `network` when there was no answer at all.
class ApiError extends Error {
  /**
   * @param {{status: number, code: string, title?: string, detail?: string,
   *          errors?: Object<string, string[]>, retryAfter?: number}} problem
   */
  constructor(problem) {
    super(problem.detail || problem.title || problem.code);
    this.name = 'ApiError';
    this.status = problem.status;
    this.code = problem.code;
    this.title = problem.title || '';
    this.detail = problem.detail || '';
    this.errors = problem.errors || {};
    this.retryAfter = problem.retryAfter || 0;
  }
}

/**
 * The value of a response header, whatever case the server or WeChat gave its name.
 * @param {Object<string, any> | undefined} headers
 * @param {string} name
 */
function headerOf(headers, name) {
  const wanted = name.toLowerCase();
  const all = headers || {};
  const found = Object.keys(all).find((key) => key.toLowerCase() === wanted);
  return found === undefined ? '' : String(all[found]);
}

/**
 * The ApiError for an answer of 400 or more. `body` is already parsed JSON (wx.request) or
 * text (wx.uploadFile answers a string).
 * @param {number} statusCode
 * @param {any} body
 * @param {Object<string, any>} [headers]
 */
function fromAnswer(statusCode, body, headers) {
  let problem = body;
  if (typeof body === 'string') {
    try {
      problem = JSON.parse(body);
    } catch (e) {
      problem = {};
    }
  }
  problem = problem && typeof problem === 'object' ? problem : {};
  return new ApiError({
    status: statusCode,
    code: problem.code || `http_${statusCode}`,
    title: problem.title,
    detail: problem.detail,
    errors: problem.errors,
    retryAfter: Number(headerOf(headers, 'Retry-After')) || 0,
  });
}

module.exports = { ApiError, headerOf, fromAnswer };
