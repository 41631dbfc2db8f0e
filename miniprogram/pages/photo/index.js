// A photo: the picture, its caption, comments with one level of replies, likes, editing and
// deleting one's own comments (with If-Match: an edit from a stale copy is refused), reporting.
const api = require('../../api/client');
const strings = require('../../strings');

const REASONS = ['porn', 'politics', 'abuse', 'ads', 'fraud', 'illegal', 'vulgar', 'copyright',
  'other'];

Component({
  data: { strings, photo: null, comments: [], draft: '', replyTo: 0, error: '', notice: '' },
  methods: {
    async onLoad(options) {
      this.photoId = Number(options.id);
      this.setData({ photo: await api.get(`/api/v1/photos/${this.photoId}`) });
      await this.refresh();
    },
    async refresh() {
      const page = await api.get(`/api/v1/photos/${this.photoId}/comments`);
      this.setData({ comments: page.results });
    },
    onDraft(event) {
      this.setData({ draft: event.detail.value });
    },
    reply(event) {
      this.setData({ replyTo: Number(event.currentTarget.dataset.id) });
    },
    async send() {
      const body = { body: this.data.draft };
      if (this.data.replyTo) body.parent_id = this.data.replyTo;
      try {
        await api.post(`/api/v1/photos/${this.photoId}/comments`, body);
        this.setData({ draft: '', replyTo: 0, error: '' });
        await this.refresh();
      } catch (error) {
        const field = error.errors && error.errors.body;
        this.setData({ error: (field && field[0]) || error.detail });
      }
    },
    async like(event) {
      const comment = this.data.comments.find((c) => c.id === Number(event.currentTarget.dataset.id));
      const method = comment.liked_by_me ? 'DELETE' : 'PUT';
      await api.request(method, `/api/v1/comments/${comment.id}/like`);
      await this.refresh();
    },
    /** Edit a comment from the copy the page read (its ETag): a stale copy is refused (412). */
    async edit(commentId, text, etag) {
      try {
        await api.put(`/api/v1/comments/${commentId}`, { body: text }, { ifMatch: etag });
        this.setData({ error: '' });
      } catch (error) {
        this.setData({ error: error.code === 'precondition_failed' ? strings.conflict : error.detail });
      }
      await this.refresh();
    },
    async remove(event) {
      await api.del(`/api/v1/comments/${event.currentTarget.dataset.id}`);
      await this.refresh();
    },
    /** The report sheet: one of WeChat's reasons, and an optional note. */
    async report(reasonIndex, detail = '') {
      await api.post('/api/v1/reports', { target_type: 'photo', target_id: this.photoId,
        reason: REASONS[reasonIndex], detail });
      this.setData({ notice: strings.reported });
    },
    openReportSheet() {
      wx.showActionSheet({
        itemList: strings.reasons,
        success: ({ tapIndex }) => this.report(tapIndex),
      });
    },
  },
});
