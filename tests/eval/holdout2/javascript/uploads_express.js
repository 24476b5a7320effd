const express = require('express');
const { execFile } = require('child_process');
const { promisify } = require('util');
const run = promisify(execFile);

const router = express.Router();

router.post('/videos/:id/preview', async (req, res, next) => {
  try {
    const src = `/data/videos/${req.params.id}.mp4`;
    await run('ffmpeg', ['-y', '-i', src, '-t', '30', '-vf', 'scale=640:-2', `/data/previews/${req.params.id}.mp4`]);
    res.json({ preview: `/previews/${req.params.id}.mp4` });
  } catch (err) {
    next(err);
  }
});

module.exports = router;
