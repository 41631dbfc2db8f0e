// Me: the nickname (<input type="nickname">), the avatar (<button open-type="chooseAvatar">,
// uploaded as a file), a copy of my data, and deleting the account (cancellable until then).
const api = require('../../api/client');
const { uploadAvatar } = require('../../api/upload');
const strings = require('../../strings');

Component({
  data: { strings, me: null, nickname: '', error: '', exportState: '' },
  methods: {
    async onLoad() {
      const me = await api.get('/api/v1/me');
      this.setData({ me, nickname: me.nickname });
    },
    onNickname(event) {
      this.setData({ nickname: event.detail.value });
    },
    async saveNickname() {
      try {
        const me = await api.put('/api/v1/me', { nickname: this.data.nickname },
          { ifMatch: this.data.me.etag });
        this.setData({ me, error: '' });
      } catch (error) {
        const field = error.errors && error.errors.nickname;
        this.setData({ error: (field && field[0]) || error.detail });
      }
    },
    async onChooseAvatar(event) {
      try {
        const me = await uploadAvatar(event.detail.avatarUrl);
        this.setData({ me, error: '' });
      } catch (error) {
        this.setData({ error: error.detail || strings.networkError });
      }
    },
    async exportData() {
      try {
        const started = await api.post('/api/v1/me/exports');
        this.setData({ exportState: started.status });
      } catch (error) {
        this.setData({ error: error.detail || strings.networkError });
      }
    },
    async deleteAccount() {
      const answer = await api.del('/api/v1/me');
      this.setData({ me: { ...this.data.me, deletion_at: answer.deletion_at } });
    },
    async cancelDeletion() {
      const me = await api.post('/api/v1/me/deletion/cancel');
      this.setData({ me });
    },
  },
});
