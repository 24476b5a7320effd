// donations.js  -- giving portal API (St. Brendan's + 14 partner parishes)
// nginx -> node, proxy_read_timeout 30s. Don't ask.
var express = require('express');
var { Client } = require('pg');
var archiver = require('archiver');
var renderReceiptPdf = require('./receipts/render');
var requireAdmin = require('./auth').requireAdmin;

var router = express.Router();

function getClient() {
  var client = new Client({ connectionString: process.env.DATABASE_URL });
  return client.connect().then(function () { return client; });
}

// record an online gift against a campaign (building fund, food pantry, ...)
router.post('/campaigns/:id/gifts', async function (req, res) {
  var db = await getClient();
  try {
    var amount = Math.round(Number(req.body.amount) * 100);
    if (!amount || amount < 100) return res.status(400).json({ error: 'minimum gift is $1' });

    var c = await db.query('SELECT id, raised_cents, goal_cents FROM campaigns WHERE id = $1', [req.params.id]);
    if (!c.rows.length) return res.status(404).end();

    var raised = c.rows[0].raised_cents + amount;
    await db.query(
      'INSERT INTO gifts (campaign_id, donor_id, amount_cents, method) VALUES ($1, $2, $3, $4)',
      [req.params.id, req.user.donorId, amount, req.body.method || 'card']
    );
    await db.query('UPDATE campaigns SET raised_cents = $1 WHERE id = $2', [raised, req.params.id]);

    res.status(201).json({ raised_cents: raised, goal_cents: c.rows[0].goal_cents });
  } finally {
    await db.end();
  }
});

router.get('/campaigns/:id', async function (req, res) {
  var db = await getClient();
  try {
    var r = await db.query('SELECT id, title, raised_cents, goal_cents FROM campaigns WHERE id = $1', [req.params.id]);
    if (!r.rows.length) return res.status(404).end();
    res.json(r.rows[0]);
  } finally {
    await db.end();
  }
});

// year-end giving statements for every donor of a parish, as one zip
// (finance office clicks this in January)
router.post('/admin/parishes/:parishId/statements/:year', requireAdmin, async function (req, res) {
  var db = await getClient();
  try {
    var year = Number(req.params.year);
    var r = await db.query(
      `SELECT d.id, d.full_name, d.address, g.amount_cents, g.created_at, c.title
         FROM gifts g
         JOIN donors d ON d.id = g.donor_id
         JOIN campaigns c ON c.id = g.campaign_id
        WHERE d.parish_id = $1 AND g.created_at >= make_date($2, 1, 1) AND g.created_at < make_date($2 + 1, 1, 1)
        ORDER BY d.id, g.created_at`,
      [req.params.parishId, year]
    );

    var byDonor = new Map();
    r.rows.forEach(function (row) {
      if (!byDonor.has(row.id)) byDonor.set(row.id, { donor: row, gifts: [] });
      byDonor.get(row.id).gifts.push(row);
    });

    res.attachment('statements-' + year + '.zip');
    var zip = archiver('zip');
    zip.pipe(res);
    for (var [donorId, entry] of byDonor) {
      var pdf = await renderReceiptPdf(entry.donor, entry.gifts, year);
      zip.append(pdf, { name: 'statement-' + donorId + '.pdf' });
    }
    await zip.finalize();
  } finally {
    await db.end();
  }
});

module.exports = router;
