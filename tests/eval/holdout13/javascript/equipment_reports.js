// dealer-portal/routes/reports.js
// FieldHire dealer portal — rentals list + yearly utilization PDF.
// Runs on ECS (2 tasks) behind an ALB, idle timeout 30s.
const express = require('express');
const { Client } = require('pg');
const PDFDocument = require('pdfkit');
const { ChartJSNodeCanvas } = require('chartjs-node-canvas');
const { requireDealerUser } = require('../middleware/session');

const router = express.Router();
const chart = new ChartJSNodeCanvas({ width: 900, height: 360 });

// separate client per request so a slow report never starves the shared pool
async function openDb() {
  const client = new Client({ connectionString: process.env.DATABASE_URL });
  await client.connect();
  return client;
}

async function buildUtilizationPdf(db, dealerId, year) {
  const { rows: machines } = await db.query(
    'SELECT id, make, model, serial FROM equipment WHERE dealer_id = $1 ORDER BY make, model',
    [dealerId]
  );
  const { rows: days } = await db.query(
    `SELECT equipment_id, d::date AS day
       FROM rentals r, generate_series(r.starts_on, r.ends_on, interval '1 day') d
      WHERE r.dealer_id = $1 AND extract(year FROM d) = $2`,
    [dealerId, year]
  );
  const byMachine = new Map();
  for (const d of days) {
    if (!byMachine.has(d.equipment_id)) byMachine.set(d.equipment_id, new Array(12).fill(0));
    byMachine.get(d.equipment_id)[new Date(d.day).getMonth()]++;
  }

  const doc = new PDFDocument({ size: 'A4', margin: 40 });
  const chunks = [];
  doc.on('data', (c) => chunks.push(c));

  // one page + chart per machine (big dealers have 600+ machines)
  for (const m of machines) {
    const months = byMachine.get(m.id) || new Array(12).fill(0);
    const png = await chart.renderToBuffer({
      type: 'bar',
      data: { labels: 'JFMAMJJASOND'.split(''), datasets: [{ label: 'days rented', data: months }] },
    });
    doc.addPage().fontSize(14).text(`${m.make} ${m.model} (${m.serial})`);
    doc.image(png, { width: 500 });
    doc.fontSize(10).text(`Utilization: ${((months.reduce((a, b) => a + b, 0) / 365) * 100).toFixed(1)}%`);
  }
  doc.end();
  await new Promise((r) => doc.on('end', r));
  return Buffer.concat(chunks);
}

// GET /reports/rentals — table on the dealer dashboard
router.get('/rentals', requireDealerUser, async (req, res, next) => {
  const db = await openDb();
  try {
    const { rows } = await db.query(
      `SELECT r.id, r.starts_on, r.ends_on, r.status, r.total_cents,
              e.make, e.model, c.name AS customer
         FROM rentals r
         JOIN equipment e ON e.id = r.equipment_id
         JOIN customers c ON c.id = r.customer_id
        WHERE r.dealer_id = $1
        ORDER BY r.starts_on DESC`,
      [req.session.dealerId]
    );
    res.json(rows);
  } catch (err) {
    next(err);
  } finally {
    await db.end();
  }
});

// GET /reports/utilization.pdf?year=2023
router.get('/utilization.pdf', requireDealerUser, async (req, res, next) => {
  const year = parseInt(req.query.year, 10) || new Date().getFullYear();
  const db = await openDb();
  try {
    const pdf = await buildUtilizationPdf(db, req.session.dealerId, year);
    res.set('Content-Type', 'application/pdf');
    res.set('Content-Disposition', `attachment; filename="utilization-${year}.pdf"`);
    res.send(pdf);
  } catch (err) {
    next(err);
  } finally {
    await db.end();
  }
});

module.exports = router;
