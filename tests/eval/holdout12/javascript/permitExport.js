// permits/adminExport.js -- staff tools for the permits office
const express = require('express');
const archiver = require('archiver');
const { PassThrough } = require('stream');
const db = require('../db'); // pg Pool
const { renderPermitPdf } = require('../pdf/permitPdf'); // puppeteer, ~1-2 s per permit
const { requireStaff } = require('../auth');

const router = express.Router();

// list applications, keyset paginated
router.get('/admin/permits', requireStaff, async (req, res, next) => {
  const limit = Math.min(Number(req.query.limit) || 50, 200);
  const before = req.query.before ? Number(req.query.before) : null;
  try {
    const { rows } = await db.query(
      `SELECT id, permit_type, applicant_name, status, submitted_at
         FROM permit_applications
        WHERE ($1::bigint IS NULL OR id < $1)
        ORDER BY id DESC
        LIMIT $2`,
      [before, limit]
    );
    res.json({ items: rows, next: rows.length === limit ? rows[rows.length - 1].id : null });
  } catch (e) {
    next(e);
  }
});

function loadAttachments(applicationId) {
  return db
    .query('SELECT filename, content_type, storage_key FROM permit_attachments WHERE application_id = $1', [applicationId])
    .then((r) => r.rows);
}

function zipToBuffer(files) {
  return new Promise((resolve, reject) => {
    const zip = archiver('zip', { zlib: { level: 6 } });
    const out = new PassThrough();
    const chunks = [];
    out.on('data', (c) => chunks.push(c));
    out.on('end', () => resolve(Buffer.concat(chunks)));
    zip.on('error', reject);
    zip.pipe(out);
    files.forEach((f) => zip.append(f.data, { name: f.name }));
    zip.finalize();
  });
}

// council wants a zip of every application PDF for the quarter (usually 3-6k permits)
// NB: this goes through the nginx ingress, proxy_read_timeout 30s
router.get('/admin/permits/export.zip', requireStaff, async (req, res, next) => {
  const { from, to } = req.query;
  try {
    const { rows: apps } = await db.query(
      'SELECT * FROM permit_applications WHERE submitted_at >= $1 AND submitted_at < $2 ORDER BY id',
      [from, to]
    );
    const files = [];
    for (const app of apps) {
      const attachments = await loadAttachments(app.id);
      const pdf = await renderPermitPdf(app, attachments);
      files.push({ name: `${app.permit_type}/${app.id}.pdf`, data: pdf });
    }
    const buf = await zipToBuffer(files);
    res.attachment(`permits_${from}_${to}.zip`);
    res.type('application/zip').send(buf);
  } catch (e) {
    next(e);
  }
});

module.exports = router;
