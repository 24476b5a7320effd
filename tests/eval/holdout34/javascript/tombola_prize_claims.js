// Village fete tombola: prize listing and claiming at the collection table.
// Winning tickets end in 0 or 5; a volunteer scans the ticket and claims the prize.

const express = require('express');
const { Pool } = require('pg');
const logger = require('./logger');

// One pool for the whole process; sized for the small Postgres on the parish VPS.
const pool = new Pool({
  connectionString: process.env.DATABASE_URL,
  max: 10,
  idleTimeoutMillis: 30_000,
  connectionTimeoutMillis: 5_000,
  statement_timeout: 5_000,
});

const router = express.Router();

const PAGE_SIZE = 50;

router.get('/fetes/:feteId/prizes', async (req, res, next) => {
  const { feteId } = req.params;
  const afterId = Number(req.query.after) || 0;
  try {
    const { rows } = await pool.query(
      `SELECT id, description, donated_by, claimed_at IS NOT NULL AS claimed
         FROM tombola_prizes
        WHERE fete_id = $1 AND id > $2
        ORDER BY id
        LIMIT $3`,
      [feteId, afterId, PAGE_SIZE]
    );
    const nextCursor = rows.length === PAGE_SIZE ? rows[rows.length - 1].id : null;
    res.json({ prizes: rows, nextCursor });
  } catch (err) {
    next(err);
  }
});

router.post('/fetes/:feteId/prizes/:prizeId/claim', async (req, res, next) => {
  const { feteId, prizeId } = req.params;
  const { ticketNumber } = req.body;

  if (!/^\d{1,5}$/.test(String(ticketNumber)) || !/[05]$/.test(String(ticketNumber))) {
    return res.status(400).json({ error: 'Only tickets ending in 0 or 5 win' });
  }

  try {
    // A single conditional UPDATE: only one claim can flip claimed_at from NULL.
    const result = await pool.query(
      `UPDATE tombola_prizes
          SET claimed_at = now(), claimed_ticket = $3
        WHERE id = $1 AND fete_id = $2 AND claimed_at IS NULL
        RETURNING id, description`,
      [prizeId, feteId, ticketNumber]
    );

    if (result.rowCount === 0) {
      return res.status(409).json({ error: 'Prize already claimed or not part of this fete' });
    }

    logger.info({ feteId, prizeId, ticketNumber }, 'tombola prize claimed');
    return res.json({ claimed: result.rows[0] });
  } catch (err) {
    // unique (fete_id, claimed_ticket) stops one ticket collecting two prizes
    if (err.code === '23505') {
      return res.status(409).json({ error: 'That ticket has already collected a prize' });
    }
    logger.error({ err, feteId, prizeId }, 'tombola claim failed');
    return next(err);
  }
});

module.exports = { router, pool };
