// The app: nothing to set up but the login, which the client module does on first need (a 401
// logs in with wx.login). Share entries land on pages/join/index.
App({});
