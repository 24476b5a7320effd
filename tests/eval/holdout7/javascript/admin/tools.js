// internal admin (ops.rentco.internal) - behind nginx, proxy_read_timeout 30s
// only ops team uses this so kept it simple

const express = require('express');
const { Client } = require('pg');
const PDFDocument = require('pdfkit');
const { uploadToS3 } = require('../lib/s3');
const requireStaff = require('../middleware/requireStaff');

const app = express();
app.use(express.json());
app.use(requireStaff);

async function db() {
  const c = new Client({ connectionString: process.env.DATABASE_URL });
  await c.connect();
  return c;
}

function renderStatement(landlord, payouts) {
  return new Promise((resolve) => {
    const doc = new PDFDocument({ size: 'A4' });
    const chunks = [];
    doc.on('data', (c) => chunks.push(c));
    doc.on('end', () => resolve(Buffer.concat(chunks)));
    doc.fontSize(18).text(`Statement - ${landlord.name}`);
    payouts.forEach((p) => doc.fontSize(10).text(`${p.paid_on}  ${p.property}  ${p.amount_cents / 100}`));
    doc.end();
  });
}

app.get('/admin/audit-log', async (req, res) => {
  const c = await db();
  try {
    const r = await c.query(
      'SELECT id, actor_email, action, entity, entity_id, created_at FROM audit_log ORDER BY created_at DESC'
    );
    res.json(r.rows);
  } finally {
    await c.end();
  }
});

app.get('/admin/landlords/:id', async (req, res) => {
  const c = await db();
  try {
    const r = await c.query('SELECT * FROM landlords WHERE id = $1', [req.params.id]);
    if (!r.rows.length) return res.sendStatus(404);
    res.json(r.rows[0]);
  } finally {
    await c.end();
  }
});

// month end: rebuild every landlord statement and push to s3
app.post('/admin/statements/regenerate', async (req, res) => {
  const month = req.body.month; // '2024-05'
  const c = await db();
  try {
    const landlords = (await c.query('SELECT id, name FROM landlords WHERE active')).rows;
    let done = 0;
    for (const l of landlords) {
      const payouts = (
        await c.query(
          `SELECT p.paid_on, pr.title AS property, p.amount_cents
             FROM payouts p JOIN properties pr ON pr.id = p.property_id
            WHERE p.landlord_id = $1 AND to_char(p.paid_on, 'YYYY-MM') = $2`,
          [l.id, month]
        )
      ).rows;
      const pdf = await renderStatement(l, payouts);
      await uploadToS3(`statements/${month}/${l.id}.pdf`, pdf);
      done++;
    }
    res.json({ ok: true, regenerated: done });
  } finally {
    await c.end();
  }
});

app.listen(4010);
