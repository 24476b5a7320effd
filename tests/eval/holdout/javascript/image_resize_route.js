const express = require('express');
const multer = require('multer');
const sharp = require('sharp');
const { Queue } = require('bullmq');

const upload = multer({ dest: '/tmp/uploads', limits: { fileSize: 20 * 1024 * 1024 } });
const resizeQueue = new Queue('resize', { connection: { host: 'redis' } });
const router = express.Router();

const SIZES = [1920, 1280, 640, 320];

router.post('/albums/:id/photos', upload.array('photos', 200), async (req, res) => {
  const results = [];
  for (const file of req.files) {
    for (const width of SIZES) {
      const out = `${file.path}-${width}.webp`;
      await sharp(file.path).resize({ width }).webp({ quality: 80 }).toFile(out);
      results.push(out);
    }
  }
  res.json({ files: results });
});

router.post('/albums/:id/photos/async', upload.array('photos', 200), async (req, res) => {
  const job = await resizeQueue.add('resize', { files: req.files.map((f) => f.path), sizes: SIZES });
  res.status(202).json({ jobId: job.id });
});

module.exports = router;
