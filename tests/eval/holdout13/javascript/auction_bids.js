// services/bidding.js + routes — Hartwell & Rowe online art auctions
'use strict';

const express = require('express');
const knex = require('../db/knex'); // shared pool, configured once in db/knex.js
const { requireBidder } = require('../middleware/auth');
const { outbidQueue } = require('../queues'); // BullMQ queue, worker sends the emails
const logger = require('../logger');

class BidError extends Error {
  constructor(status, code, message) {
    super(message);
    this.status = status;
    this.code = code;
  }
}

/**
 * Place a bid on a lot.
 * The lot row is locked for the duration of the transaction, so two bidders
 * hitting "Bid" at the same moment are serialized and the second one is
 * re-validated against the new high bid.
 */
async function placeBid({ lotId, bidderId, amountCents }) {
  return knex.transaction(async (trx) => {
    const lot = await trx('lots')
      .select('id', 'status', 'closes_at', 'current_bid_cents', 'starting_bid_cents', 'increment_cents', 'high_bidder_id')
      .where({ id: lotId })
      .forUpdate()
      .first();

    if (!lot) throw new BidError(404, 'lot_not_found', 'Lot not found');
    if (lot.status !== 'open' || new Date(lot.closes_at) <= new Date()) {
      throw new BidError(409, 'lot_closed', 'Bidding on this lot has closed');
    }
    if (lot.high_bidder_id === bidderId) {
      throw new BidError(409, 'already_high_bidder', 'You already hold the high bid');
    }

    const minimum = lot.current_bid_cents == null
      ? lot.starting_bid_cents
      : lot.current_bid_cents + lot.increment_cents;
    if (amountCents < minimum) {
      throw new BidError(422, 'bid_too_low', `Minimum bid is ${minimum}`);
    }

    const [bid] = await trx('bids')
      .insert({ lot_id: lotId, bidder_id: bidderId, amount_cents: amountCents })
      .returning(['id', 'created_at']);

    await trx('lots')
      .where({ id: lotId })
      .update({
        current_bid_cents: amountCents,
        high_bidder_id: bidderId,
        bid_count: trx.raw('bid_count + 1'),
      });

    return { bid, previousHighBidder: lot.high_bidder_id, minimumNext: amountCents + lot.increment_cents };
  });
}

const router = express.Router();

router.post('/lots/:lotId/bids', requireBidder, async (req, res, next) => {
  const amountCents = Number(req.body.amountCents);
  if (!Number.isInteger(amountCents) || amountCents <= 0) {
    return res.status(400).json({ error: 'amountCents must be a positive integer' });
  }
  try {
    const result = await placeBid({ lotId: req.params.lotId, bidderId: req.user.id, amountCents });
    if (result.previousHighBidder) {
      await outbidQueue.add('outbid', { lotId: req.params.lotId, bidderId: result.previousHighBidder },
        { jobId: `outbid:${result.bid.id}` });
    }
    res.status(201).json({ bidId: result.bid.id, minimumNext: result.minimumNext });
  } catch (err) {
    if (err instanceof BidError) return res.status(err.status).json({ error: err.code, message: err.message });
    logger.error({ err, lotId: req.params.lotId }, 'placeBid failed');
    next(err);
  }
});

// bid history, newest first, keyset paginated
router.get('/lots/:lotId/bids', async (req, res, next) => {
  try {
    const limit = Math.min(Number(req.query.limit) || 20, 100);
    const q = knex('bids')
      .select('id', 'amount_cents', 'created_at')
      .where({ lot_id: req.params.lotId })
      .orderBy('id', 'desc')
      .limit(limit);
    if (req.query.beforeId) q.andWhere('id', '<', req.query.beforeId);
    res.json(await q);
  } catch (err) {
    next(err);
  }
});

module.exports = { router, placeBid };
