// routes/footpathReports.js
// Parish footpath survey: volunteers walk the rights of way each spring and file
// condition reports (stiles, waymarks, overgrowth, ploughed-out paths). The
// parish clerk downloads a PDF pack to send to the county council.
const express = require('express');
const PDFDocument = require('pdfkit');
const sharp = require('sharp');
const fs = require('fs/promises');
const path = require('path');
const knex = require('../db/knex');
const storage = require('../lib/storage'); // S3 client wrapper, timeouts set there
const { requireParishRole } = require('../middleware/auth');

const router = express.Router();
const PHOTO_ROOT = process.env.PHOTO_ROOT || '/var/lib/footpaths/photos';

router.get('/parishes/:parishId/reports', requireParishRole('volunteer'), async (req, res, next) => {
  try {
    const reports = await knex('footpath_reports')
      .select('id', 'path_ref', 'surveyed_on', 'condition', 'notes', 'surveyor_name')
      .where({ parish_id: req.params.parishId })
      .orderBy('surveyed_on', 'desc');
    res.json({ reports });
  } catch (err) {
    next(err);
  }
});

async function renderPathSheet(doc, route, reports, photos) {
  doc.addPage().fontSize(16).text(`${route.path_ref} — ${route.name}`);
  doc.fontSize(10).text(`Length ${route.length_m} m, ${route.stile_count} stiles`);
  for (const r of reports) {
    doc.moveDown().fontSize(11).text(`${r.surveyed_on.toDateString()}: ${r.condition}`);
    if (r.notes) doc.fontSize(9).text(r.notes);
  }
  for (const photo of photos) {
    const original = await fs.readFile(path.join(PHOTO_ROOT, photo.file_name));
    const thumb = await sharp(original).rotate().resize({ width: 420 }).jpeg({ quality: 70 }).toBuffer();
    doc.image(thumb, { width: 210 });
  }
}

// Clerk picks the paths (usually the whole parish, 200-300 of them) and gets the pack back.
router.post('/parishes/:parishId/annual-pack', requireParishRole('clerk'), async (req, res, next) => {
  const parishId = req.params.parishId;
  const pathIds = (req.body.pathIds || []).slice(0, 400);
  try {
    const routes = await knex('rights_of_way')
      .where({ parish_id: parishId })
      .whereIn('id', pathIds)
      .orderBy('path_ref');
    const yearReports = await knex('footpath_reports')
      .where({ parish_id: parishId })
      .whereIn('path_id', pathIds)
      .andWhere('surveyed_on', '>=', knex.raw("date_trunc('year', now())"));
    const photos = await knex('report_photos')
      .where({ parish_id: parishId })
      .whereIn('path_id', pathIds);

    const doc = new PDFDocument({ autoFirstPage: false });
    const chunks = [];
    doc.on('data', (c) => chunks.push(c));

    for (const route of routes) {
      await renderPathSheet(
        doc,
        route,
        yearReports.filter((r) => r.path_id === route.id),
        photos.filter((p) => p.path_id === route.id)
      );
    }
    doc.end();
    await new Promise((resolve) => doc.on('end', resolve));

    const key = `packs/${parishId}/${new Date().getFullYear()}-footpaths.pdf`;
    await storage.putObject(key, Buffer.concat(chunks), 'application/pdf');
    const url = await storage.signedUrl(key, 3600);
    res.json({ url });
  } catch (err) {
    next(err);
  }
});

module.exports = router;
