// Every text the sample pages show: Chinese for the screen, English beside it for readers.
module.exports = {
  myAlbums: '我的相册', // My albums
  newAlbum: '新建相册', // New album
  albumTitle: '相册名称', // Album title
  create: '创建', // Create
  noAlbums: '还没有相册', // No albums yet
  photos: '张照片', // photos (after a count)
  upload: '上传照片', // Upload photos
  uploading: '上传中', // Uploading
  inReview: '审核中', // Waiting for review
  rejected: '未通过审核', // Did not pass review
  members: '成员', // Members
  share: '分享', // Share
  joining: '正在加入相册…', // Joining the album...
  joined: '已加入相册', // You joined the album
  removed: '相册主人已将你移出相册，请向 TA 索取新的邀请', // The owner removed you; ask for a new invitation
  revoked: '这个分享已失效', // This share no longer works
  expired: '这个分享已过期', // This share has expired
  notFound: '找不到这个分享', // No such share
  profile: '我的', // Me
  nickname: '昵称', // Nickname
  save: '保存', // Save
  avatar: '头像', // Avatar
  exportData: '导出我的数据', // Export my data
  deleteAccount: '注销账号', // Delete my account
  deletionAt: '账号将于此时注销：', // The account will be deleted at:
  cancelDeletion: '取消注销', // Cancel the deletion
  retry: '重试', // Try again
  networkError: '网络不给力，请重试', // The network failed; try again
};
