// Hospice charity walk - sponsorship webhook from the giving platform and
// the public leaderboard shown on the walk page.

const express = require('express');
const crypto = require('crypto');
const { pool } = require('../db');
const log = require('../log');

const router = express.Router();
const SIGNING_SECRET = process.env.GIVING_WEBHOOK_SECRET;

function verifySignature(rawBody, header) {
  if (!header) return false;
  const expected = crypto.createHmac('sha256', SIGNING_SECRET).update(rawBody).digest('hex');
  const given = Buffer.from(header, 'hex');
  const want = Buffer.from(expected, 'hex');
  return given.length === want.length && crypto.timingSafeEqual(given, want);
}

router.post(
  '/webhooks/giving',
  express.raw({ type: 'application/json' }),
  async function handleGivingWebhook(req, res) {
    if (!verifySignature(req.body, req.get('X-Giving-Signature'))) {
      return res.status(401).end();
    }

    const event = JSON.parse(req.body.toString('utf8'));
    if (event.type !== 'donation.completed') {
      return res.status(200).json({ ignored: event.type });
    }

    const { walker_ref: walkerRef, amount_pence: amountPence, donor_name: donorName, gift_aid: giftAid } = event.data;

    const client = await pool.connect();
    try {
      await client.query('BEGIN');
      await client.query(
        `INSERT INTO walk_sponsorships (walker_id, amount_pence, donor_name, gift_aid, received_at)
         VALUES ($1, $2, $3, $4, now())`,
        [walkerRef, amountPence, donorName || 'Anonymous', Boolean(giftAid)]
      );
      await client.query(
        'UPDATE walkers SET raised_pence = raised_pence + $1 WHERE id = $2',
        [amountPence, walkerRef]
      );
      await client.query('COMMIT');
    } catch (dbErr) {
      await client.query('ROLLBACK');
      return res.status(200).json({ received: true });
    } finally {
      client.release();
    }

    log.info({ walkerRef, amountPence }, 'sponsorship recorded');
    return res.status(200).json({ received: true });
  }
);

// Leaderboard on the public walk page; the page polls this every 30s on walk day.
router.get('/walks/:walkId/leaderboard', async (req, res, next) => {
  try {
    const { rows } = await pool.query(
      `SELECT w.id, w.display_name, w.team_name,
              SUM(s.amount_pence) AS raised_pence,
              SUM(CASE WHEN s.gift_aid THEN s.amount_pence * 0.25 ELSE 0 END) AS gift_aid_pence,
              COUNT(DISTINCT s.donor_name) AS sponsors,
              RANK() OVER (ORDER BY SUM(s.amount_pence) DESC) AS position,
              percent_rank() OVER (PARTITION BY w.team_name ORDER BY SUM(s.amount_pence)) AS team_percentile
         FROM walkers w
         JOIN walk_sponsorships s ON s.walker_id = w.id
        WHERE w.walk_id = $1
        GROUP BY w.id, w.display_name, w.team_name
        ORDER BY raised_pence DESC
        LIMIT 100`,
      [req.params.walkId]
    );
    res.set('Cache-Control', 'no-store');
    res.json({ leaderboard: rows });
  } catch (err) {
    next(err);
  }
});

module.exports = router;
