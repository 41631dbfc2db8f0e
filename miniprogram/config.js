// Where the backend is: the one setting a team changes. `make run` serves 127.0.0.1:8000 (in
// WeChat DevTools tick "不校验合法域名" for it); production is the API's https domain.
module.exports = {
  baseUrl: 'http://127.0.0.1:8000',
  // How many times a 429 or 503 answer is waited out (its Retry-After) before giving up.
  maxRetries: 3,
  // Photos uploaded at once from a wx.chooseMedia selection (wx.uploadFile allows 10).
  uploadConcurrency: 3,
};
