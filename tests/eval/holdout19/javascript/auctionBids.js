/**
 * routes/auctionBids.js
 * Used-car auction bidding. Live auctions close on a timer; anti-sniping extends
 * ends_at by 2 minutes when a bid lands in the last 2 minutes.
 */
const express = require('express');
const axios = require('axios');
const { Pool } = require('pg');
const { requireBidder } = require('../auth');

const pool = new Pool({ connectionString: process.env.DATABASE_URL, max: 20, statement_timeout: 5000 });
const notify = axios.create({ baseURL: process.env.NOTIFY_URL, timeout: 3000 });
const router = express.Router();

const MIN_INCREMENT_CENTS = 5000;
const SNIPE_WINDOW_MS = 2 * 60 * 1000;

router.post('/auctions/:id/bids', requireBidder, async (req, res, next) => {
  const auctionId = Number(req.params.id);
  const amount = Number(req.body.amountCents);
  if (!Number.isInteger(amount) || amount <= 0) return res.status(400).json({ error: 'bad amount' });

  const client = await pool.connect();
  let previousLeader = null;
  try {
    await client.query('BEGIN');
    const { rows } = await client.query(
      'SELECT id, current_bid_cents, leader_id, ends_at, status FROM auctions WHERE id = $1 FOR UPDATE',
      [auctionId]
    );
    const auction = rows[0];
    if (!auction) {
      await client.query('ROLLBACK');
      return res.status(404).json({ error: 'auction not found' });
    }
    if (auction.status !== 'live' || auction.ends_at <= new Date()) {
      await client.query('ROLLBACK');
      return res.status(409).json({ error: 'auction is closed' });
    }
    const minimum = auction.current_bid_cents + MIN_INCREMENT_CENTS;
    if (amount < minimum) {
      await client.query('ROLLBACK');
      return res.status(422).json({ error: 'bid too low', minimum });
    }

    const extend = auction.ends_at.getTime() - Date.now() < SNIPE_WINDOW_MS;
    await client.query(
      `UPDATE auctions
          SET current_bid_cents = $2, leader_id = $3,
              ends_at = CASE WHEN $4 THEN ends_at + interval '2 minutes' ELSE ends_at END
        WHERE id = $1`,
      [auctionId, amount, req.user.id, extend]
    );
    await client.query('INSERT INTO bids (auction_id, bidder_id, amount_cents) VALUES ($1, $2, $3)', [
      auctionId,
      req.user.id,
      amount,
    ]);
    await client.query('COMMIT');
    previousLeader = auction.leader_id;
  } catch (err) {
    await client.query('ROLLBACK').catch(() => {});
    return next(err);
  } finally {
    client.release();
  }

  if (previousLeader && previousLeader !== req.user.id) {
    notify
      .post('/outbid', { userId: previousLeader, auctionId, amountCents: amount })
      .catch((err) => req.log.warn({ err, auctionId }, 'outbid notification failed'));
  }
  res.status(201).json({ auctionId, amountCents: amount });
});

// GET /auctions/:id/bids?before=<bidId>  — bid history, newest first
router.get('/auctions/:id/bids', async (req, res, next) => {
  const before = req.query.before ? Number(req.query.before) : null;
  try {
    const { rows } = await pool.query(
      `SELECT b.id, b.amount_cents, b.created_at, u.display_name
         FROM bids b JOIN users u ON u.id = b.bidder_id
        WHERE b.auction_id = $1 AND ($2::bigint IS NULL OR b.id < $2)
        ORDER BY b.id DESC
        LIMIT 50`,
      [req.params.id, before]
    );
    res.json({ bids: rows, next: rows.length === 50 ? rows[rows.length - 1].id : null });
  } catch (err) {
    next(err);
  }
});

module.exports = router;
