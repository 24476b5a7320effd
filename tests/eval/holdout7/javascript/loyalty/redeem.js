'use strict';

// loyalty-api: reward redemption
// knex + postgres, runs as 3 replicas behind nginx

const express = require('express');
const knex = require('../db/knex');
const log = require('../lib/logger');

const router = express.Router();

class RedemptionError extends Error {
  constructor(code, message) {
    super(message);
    this.code = code;
  }
}

// POST /members/:memberId/redemptions  { rewardId }
router.post('/members/:memberId/redemptions', async (req, res, next) => {
  const memberId = Number(req.params.memberId);
  const rewardId = Number(req.body.rewardId);

  try {
    const redemption = await knex.transaction(async (trx) => {
      const reward = await trx('rewards')
        .select('id', 'points_cost', 'active')
        .where({ id: rewardId })
        .first();
      if (!reward || !reward.active) {
        throw new RedemptionError('REWARD_UNAVAILABLE', 'reward not available');
      }

      // lock the member row so concurrent redemptions queue up behind us
      const member = await trx('members')
        .select('id', 'points_balance')
        .where({ id: memberId })
        .forUpdate()
        .first();
      if (!member) {
        throw new RedemptionError('NOT_FOUND', 'member not found');
      }
      if (member.points_balance < reward.points_cost) {
        throw new RedemptionError('INSUFFICIENT_POINTS', 'not enough points');
      }

      await trx('members')
        .where({ id: memberId })
        .update({ points_balance: member.points_balance - reward.points_cost });

      // limited-stock rewards: decrement only if stock is left
      const taken = await trx('rewards')
        .where({ id: rewardId })
        .andWhere('stock_remaining', '>', 0)
        .decrement('stock_remaining', 1);
      if (taken === 0) {
        throw new RedemptionError('OUT_OF_STOCK', 'reward sold out');
      }

      const [row] = await trx('redemptions')
        .insert({ member_id: memberId, reward_id: rewardId, points: reward.points_cost })
        .returning(['id', 'created_at']);

      await trx('points_ledger').insert({
        member_id: memberId,
        delta: -reward.points_cost,
        reason: `redemption:${row.id}`,
      });
      return row;
    });

    res.status(201).json(redemption);
  } catch (err) {
    if (err instanceof RedemptionError) {
      return res.status(409).json({ code: err.code, message: err.message });
    }
    log.error({ err, memberId, rewardId }, 'redemption failed');
    next(err);
  }
});

// GET /members/:memberId/ledger?before=<id>
router.get('/members/:memberId/ledger', async (req, res, next) => {
  try {
    const q = knex('points_ledger')
      .select('id', 'delta', 'reason', 'created_at')
      .where({ member_id: req.params.memberId })
      .orderBy('id', 'desc')
      .limit(50);
    if (req.query.before) q.andWhere('id', '<', Number(req.query.before));
    res.json(await q);
  } catch (err) {
    next(err);
  }
});

module.exports = router;
