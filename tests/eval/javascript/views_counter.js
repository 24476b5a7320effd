const express = require('express');
const Redis = require('ioredis');

const redis = new Redis({ host: 'redis', commandTimeout: 1000 });
const router = express.Router();

router.post('/articles/:id/view', async (req, res) => {
  const key = `views:${req.params.id}`;
  const current = parseInt((await redis.get(key)) || '0', 10);
  await redis.set(key, current + 1);
  res.json({ views: current + 1 });
});

router.post('/articles/:id/like', async (req, res) => {
  const likes = await redis.incr(`likes:${req.params.id}`);
  res.json({ likes });
});

module.exports = router;
