// My albums: the list (owned or joined), and a new one.
const api = require('../../api/client');
const strings = require('../../strings');

Component({
  data: { strings, albums: [], title: '', error: '', loading: false },
  methods: {
    onLoad() {
      return this.refresh();
    },
    onPullDownRefresh() {
      return this.refresh().then(() => wx.stopPullDownRefresh && wx.stopPullDownRefresh());
    },
    async refresh() {
      this.setData({ loading: true, error: '' });
      try {
        const page = await api.get('/api/v1/albums');
        this.setData({ albums: page.results });
      } catch (error) {
        this.setData({ error: error.detail || strings.networkError });
      } finally {
        this.setData({ loading: false });
      }
    },
    onTitle(event) {
      this.setData({ title: event.detail.value });
    },
    async create() {
      try {
        const album = await api.post('/api/v1/albums',
          { title: this.data.title, visibility: 'members' });
        this.setData({ title: '', albums: [album, ...this.data.albums] });
      } catch (error) {
        const field = error.errors && error.errors.title;
        this.setData({ error: (field && field[0]) || error.detail || strings.networkError });
      }
    },
    open(event) {
      wx.navigateTo({ url: `/pages/album/index?id=${event.currentTarget.dataset.id}` });
    },
  },
});
