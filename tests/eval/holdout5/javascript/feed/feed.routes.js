const express = require('express');
const Redis = require('ioredis');
const Post = require('../models/Post');
const User = require('../models/User');
const Comment = require('../models/Comment');
const { requireAuth } = require('../middleware/auth');

const router = express.Router();
const redis = new Redis(process.env.REDIS_URL);

const PAGE_SIZE = 30;

// Home timeline: posts from people you follow, newest first
router.get('/feed', requireAuth, async (req, res, next) => {
  try {
    const before = req.query.before ? new Date(req.query.before) : new Date();
    const posts = await Post.find({
      author: { $in: req.user.following },
      createdAt: { $lt: before },
      deletedAt: null,
    })
      .sort({ createdAt: -1 })
      .limit(PAGE_SIZE)
      .lean();

    const items = [];
    for (const post of posts) {
      const author = await User.findById(post.author).select('handle displayName avatarUrl verified').lean();
      items.push({ ...post, author, likedByMe: post.likedBy?.some((id) => id.equals(req.user._id)) });
    }

    res.json({
      items,
      nextBefore: posts.length === PAGE_SIZE ? posts[posts.length - 1].createdAt : null,
    });
  } catch (err) {
    next(err);
  }
});

// Trending hashtags in the last 24h (sidebar widget)
router.get('/trending', requireAuth, async (req, res, next) => {
  try {
    const cacheKey = `trending:v2:${req.user._id}`;
    const cached = await redis.get(cacheKey);
    if (cached) return res.json(JSON.parse(cached));

    const since = new Date(Date.now() - 24 * 60 * 60 * 1000);
    const tags = await Post.aggregate([
      { $match: { createdAt: { $gte: since }, deletedAt: null } },
      { $unwind: '$hashtags' },
      { $group: { _id: { $toLower: '$hashtags' }, count: { $sum: 1 } } },
      { $sort: { count: -1 } },
      { $limit: 20 },
    ]);

    await redis.set(cacheKey, JSON.stringify(tags), 'EX', 300);
    res.json(tags);
  } catch (err) {
    next(err);
  }
});

// Comments under a post, oldest first
router.get('/posts/:postId/comments', requireAuth, async (req, res, next) => {
  try {
    const comments = await Comment.find({ post: req.params.postId, deletedAt: null })
      .sort({ createdAt: 1 })
      .populate('author', 'handle avatarUrl verified')
      .lean();
    res.json(comments);
  } catch (err) {
    next(err);
  }
});

router.post('/posts/:postId/like', requireAuth, async (req, res, next) => {
  try {
    const result = await Post.updateOne(
      { _id: req.params.postId, likedBy: { $ne: req.user._id } },
      { $addToSet: { likedBy: req.user._id }, $inc: { likeCount: 1 } }
    );
    res.json({ liked: true, changed: result.modifiedCount === 1 });
  } catch (err) {
    next(err);
  }
});

router.get('/users/:handle/posts', requireAuth, async (req, res, next) => {
  try {
    const user = await User.findOne({ handle: req.params.handle }).select('_id').lean();
    if (!user) return res.status(404).json({ error: 'not found' });
    const before = req.query.before ? new Date(req.query.before) : new Date();
    const posts = await Post.find({ author: user._id, createdAt: { $lt: before }, deletedAt: null })
      .sort({ createdAt: -1 })
      .limit(PAGE_SIZE)
