// Share an album: its mini-program code (the one to scan in WeChat), the light plain QR code
// (for phone cameras and print), saving either to the phone's album, and the chat card.
const api = require('../../api/client');
const strings = require('../../strings');

Component({
  data: { strings, share: null, error: '' },
  methods: {
    async onLoad(options) {
      this.albumId = Number(options.albumId);
      try {
        this.setData({ share: await api.post(`/api/v1/albums/${this.albumId}/share`,
          { role: options.role || 'viewer' }) });
      } catch (error) {
        this.setData({ error: error.detail || strings.networkError });
      }
    },
    save(event) {
      const url = this.data.share[event.currentTarget.dataset.kind];
      wx.downloadFile({
        url,
        success: ({ tempFilePath }) => wx.saveImageToPhotosAlbum({ filePath: tempFilePath }),
      });
    },
    onShareAppMessage() {
      const share = this.data.share || {};
      return { title: strings.shareTitle, path: `/pages/join/index?code=${share.code}` };
    },
  },
});
