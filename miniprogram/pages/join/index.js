// Where every share lands: a scanned mini-program code, the plain QR, the URL scheme or a chat
// card. Resolving the code as a logged-in user joins the album with the share's role.
const api = require('../../api/client');
const { shareCode } = require('../../api/share');
const strings = require('../../strings');

const SCREENS = { removed_from_album: strings.removed, revoked: strings.revoked,
  expired: strings.expired, used_up: strings.expired, not_found: strings.notFound };

Component({
  data: { strings, state: 'joining', message: strings.joining, albumId: 0 },
  methods: {
    async onLoad(options) {
      const code = shareCode(options);
      if (!code) {
        this.setData({ state: 'failed', message: strings.notFound });
        return;
      }
      try {
        const link = await api.get(`/api/v1/shortlinks/${code}`);
        this.setData({ state: 'joined', message: strings.joined, albumId: link.album_id });
        if (link.album_id) wx.redirectTo({ url: `/pages/album/index?id=${link.album_id}` });
      } catch (error) {
        this.setData({ state: 'failed', message: SCREENS[error.code] || strings.networkError });
      }
    },
  },
});
