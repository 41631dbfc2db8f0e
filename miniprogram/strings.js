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
  processing: '处理中', // Being processed
  failed: '处理失败，请重新上传', // Could not be processed; upload it again
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
  report: '举报', // Report
  reported: '已收到你的举报', // Your report was received
  reasons: ['色情', '政治', '辱骂', '广告', '欺诈', '违法', '低俗', '侵权', '其他'],
  // porn, politics, abuse, ads, fraud, illegal, vulgar, copyright, other
  reply: '回复', // Reply
  send: '发送', // Send
  writeComment: '写评论', // Write a comment
  commentRemoved: '该评论已删除', // This comment was removed
  wechatUser: '微信用户', // WeChat user
  conflict: '评论已在别处修改，已为你刷新', // Changed elsewhere meanwhile: shown afresh
  scanInWechat: '微信扫一扫，打开相册', // Scan in WeChat to open the album
  scanWithCamera: '手机相机扫码，打开分享页', // Scan with a phone camera for the share page
  saveImage: '保存到相册', // Save to the phone's album
  sendToChat: '发送给朋友', // Send to a chat
  shareTitle: '我分享了一个相册给你', // I shared an album with you
};
