// routes/repairTickets.js
// Repair cafe network: visitors book in a broken appliance (toaster, lamp, radio...)
// and a volunteer fixer claims the ticket when they have a free bench.
// Runs as 4 containers behind the load balancer; anything shared lives in Redis or Postgres.
const express = require('express');
const Redis = require('ioredis');
const { pool } = require('../db');
const { requireFixer } = require('../auth');

const router = express.Router();

const redis = new Redis(process.env.REDIS_URL, {
  connectTimeout: 5000,
  commandTimeout: 1000,
  maxRetriesPerRequest: 2,
});

const CLAIMS_PER_MINUTE = 10;
const QUEUE_PAGE = 50;

// Fixed-window limit per signed-in fixer, shared by all containers.
async function limitClaims(req, res, next) {
  const windowId = Math.floor(Date.now() / 60_000);
  const key = `rl:claim:${req.fixer.id}:${windowId}`;
  try {
    const [[, count]] = await redis.multi().incr(key).expire(key, 120).exec();
    if (count > CLAIMS_PER_MINUTE) {
      return res.status(429).json({ error: 'slow down a little' });
    }
    next();
  } catch (err) {
    next(err);
  }
}

// Waiting tickets for the fixer's own cafe, oldest first.
router.get('/cafes/:cafeId/queue', requireFixer, async (req, res, next) => {
  if (Number(req.params.cafeId) !== req.fixer.cafeId) return res.sendStatus(403);
  const before = req.query.before ? new Date(req.query.before) : new Date();

  try {
    const { rows } = await pool.query(
      `SELECT id, appliance, fault_description, visitor_first_name, created_at
         FROM repair_tickets
        WHERE cafe_id = $1 AND status = 'waiting' AND created_at < $2
        ORDER BY created_at DESC
        LIMIT $3`,
      [req.fixer.cafeId, before, QUEUE_PAGE]
    );
    res.json({ tickets: rows });
  } catch (err) {
    next(err);
  }
});

// Claim a ticket. Two fixers tapping the same ticket: exactly one wins.
router.post('/tickets/:ticketId/claim', requireFixer, limitClaims, async (req, res, next) => {
  try {
    const { rows, rowCount } = await pool.query(
      `UPDATE repair_tickets
          SET status = 'on_bench', fixer_id = $1, claimed_at = now()
        WHERE id = $2 AND cafe_id = $3 AND status = 'waiting'
        RETURNING id, appliance, fault_description`,
      [req.fixer.id, req.params.ticketId, req.fixer.cafeId]
    );
    if (rowCount === 0) {
      return res.status(409).json({ error: 'ticket already claimed or not in your cafe' });
    }
    res.json({ ticket: rows[0] });
  } catch (err) {
    next(err);
  }
});

// Close the ticket with an outcome for the cafe's repair statistics.
router.post('/tickets/:ticketId/close', requireFixer, async (req, res, next) => {
  const outcome = ['fixed', 'partly_fixed', 'not_fixable', 'needs_part'].includes(req.body.outcome)
    ? req.body.outcome
    : null;
  if (!outcome) return res.status(400).json({ error: 'unknown outcome' });

  try {
    const { rowCount } = await pool.query(
      `UPDATE repair_tickets
          SET status = 'closed', outcome = $1, closed_at = now()
        WHERE id = $2 AND cafe_id = $3 AND fixer_id = $4 AND status = 'on_bench'`,
      [outcome, req.params.ticketId, req.fixer.cafeId, req.fixer.id]
    );
    if (rowCount === 0) return res.status(409).json({ error: 'ticket is not on your bench' });
    res.status(204).end();
  } catch (err) {
    next(err);
  }
});

module.exports = router;
