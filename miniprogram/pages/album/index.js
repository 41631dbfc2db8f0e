// An album: its photos (more as the grid scrolls, over `next`), upload from wx.chooseMedia with
// per-photo progress, a placeholder while a photo is processed, the review badge on the
// uploader's own photos waiting for review, and the members.
const api = require('../../api/client');
const { shareCode } = require('../../api/share');
const { uploadPhotos, untilReady } = require('../../api/upload');
const strings = require('../../strings');

const BADGES = { pending: strings.inReview, review: strings.inReview, risky: strings.rejected,
  rejected: strings.rejected };

/** A grid cell: the badge says why others do not see it yet (or never will). */
function cell(photo) {
  const badge = photo.state === 'failed' ? strings.failed
    : photo.state === 'processing' ? strings.processing : BADGES[photo.review] || '';
  return { ...photo, badge };
}

Component({
  data: { strings, album: null, photos: [], next: '', members: [], progress: [], error: '' },
  methods: {
    async onLoad(options) {
      // A scanned share opens this page (the backend's SHORTLINK_ALBUM_PAGE) with its code:
      // the join page resolves it, joins, and comes back with the album's id.
      const code = options.id ? '' : shareCode(options);
      if (code) {
        wx.redirectTo({ url: `/pages/join/index?code=${code}` });
        return;
      }
      this.albumId = Number(options.id);
      try {
        const [album, members] = await Promise.all([
          // The header shows only these: the server counts nothing else for it.
          api.get(`/api/v1/albums/${this.albumId}?fields=title,photo_count,held`),
          api.get(`/api/v1/albums/${this.albumId}/members`),
        ]);
        this.setData({ album, members: members.results });
        await this.more(true);
      } catch (error) {
        this.setData({ error: error.detail || strings.networkError });
      }
    },
    onReachBottom() {
      return this.more(false);
    },
    async more(first) {
      if (!first && !this.data.next) return;
      const path = first ? `/api/v1/albums/${this.albumId}/photos?page_size=30`
        : this.data.next.replace(/^https?:\/\/[^/]+/, '');
      const page = await api.get(path);
      const photos = page.results.map(cell);
      this.setData({ photos: first ? photos : this.data.photos.concat(photos), next: page.next || '' });
      photos.filter((photo) => photo.state === 'processing').forEach((photo) => this.settle(photo));
    },
    /** Put a processing photo's thumbnail in its cell once the server has made it. */
    async settle(photo) {
      const settled = await untilReady(photo).catch(() => photo);
      const index = this.data.photos.findIndex((shown) => shown.id === photo.id);
      if (index >= 0) this.setData({ [`photos[${index}]`]: cell(settled) });
    },
    /** Upload what the user picked; `files` is given in tests, wx.chooseMedia asks otherwise. */
    async upload(files) {
      const paths = Array.isArray(files) ? files : (await new Promise((resolve, reject) => {
        wx.chooseMedia({ count: 20, mediaType: ['image'], sizeType: ['compressed'],
          success: resolve, fail: reject });
      })).tempFiles.map((file) => file.tempFilePath);
      this.setData({ progress: paths.map(() => 0) });
      const results = await uploadPhotos(this.albumId, paths, {
        onProgress: (index, percent) => this.setData({ [`progress[${index}]`]: percent }),
      });
      const failed = results.filter((result) => result.error);
      this.setData({ error: failed.length ? failed[0].error.detail : '' });
      await this.more(true);
      return results;
    },
    onShareAppMessage() {
      const album = this.data.album || {};
      return { title: album.title || strings.myAlbums, path: `/pages/album/index?id=${this.albumId}` };
    },
  },
});
