// holds/router.js - library book holds (Express + Knex)
const express = require('express');
const cron = require('node-cron');
const knex = require('../db/knex'); // shared pool, created once
const logger = require('../lib/logger');

const router = express.Router();
const HOLD_DAYS = 3;
const MAX_ACTIVE_HOLDS = 10;

// Place a hold. If a copy is on the shelf at that branch it is set aside for the patron for
// HOLD_DAYS; otherwise the patron joins the queue for the title.
router.post('/branches/:branchId/titles/:titleId/holds', async (req, res, next) => {
  const patronId = req.user.patronId;
  const { branchId, titleId } = req.params;

  try {
    const result = await knex.transaction(async (trx) => {
      // lock the patron row so two parallel requests can't both pass the limit check
      const patron = await trx('patrons').where({ id: patronId }).forUpdate().first();
      if (!patron || patron.blocked) {
        return { status: 403, body: { error: 'account blocked, please contact the desk' } };
      }

      const [{ count }] = await trx('holds')
        .where({ patron_id: patronId })
        .whereIn('state', ['queued', 'ready'])
        .count({ count: '*' });
      if (Number(count) >= MAX_ACTIVE_HOLDS) {
        return { status: 422, body: { error: `limit of ${MAX_ACTIVE_HOLDS} active holds reached` } };
      }

      const copy = await trx('copies')
        .where({ title_id: titleId, branch_id: branchId, state: 'on_shelf' })
        .forUpdate()
        .skipLocked()
        .first();

      if (copy) {
        await trx('copies').where({ id: copy.id }).update({ state: 'on_hold_shelf' });
        const [hold] = await trx('holds')
          .insert({
            patron_id: patronId,
            title_id: titleId,
            branch_id: branchId,
            copy_id: copy.id,
            state: 'ready',
            expires_at: trx.raw('now() + make_interval(days => ?)', [HOLD_DAYS]),
          })
          .returning(['id', 'state', 'expires_at']);
        return { status: 201, body: hold };
      }

      const [hold] = await trx('holds')
        .insert({ patron_id: patronId, title_id: titleId, branch_id: branchId, state: 'queued' })
        .returning(['id', 'state']);
      return { status: 202, body: hold };
    });

    res.status(result.status).json(result.body);
  } catch (err) {
    // holds_one_active_per_title: UNIQUE (patron_id, title_id) WHERE state IN ('queued','ready')
    if (err.code === '23505') {
      return res.status(409).json({ error: 'you already have a hold on this title' });
    }
    next(err);
  }
});

router.get('/me/holds', async (req, res, next) => {
  try {
    const rows = await knex('holds as h')
      .join('titles as t', 't.id', 'h.title_id')
      .select('h.id', 'h.state', 'h.expires_at', 't.title', 't.author')
      .where('h.patron_id', req.user.patronId)
      .orderBy('h.created_at', 'desc')
      .limit(50);
    res.json(rows);
  } catch (err) {
    next(err);
  }
});

// Every 15 min: expire uncollected holds and put the copies back on the shelf.
// Safe to run on every instance - SKIP LOCKED means two runs never touch the same rows.
cron.schedule('*/15 * * * *', async () => {
  try {
    const { rowCount } = await knex.raw(`
      WITH expired AS (
        UPDATE holds SET state = 'expired', updated_at = now()
         WHERE id IN (SELECT id FROM holds
                       WHERE state = 'ready' AND expires_at < now()
                       ORDER BY id LIMIT 500
                       FOR UPDATE SKIP LOCKED)
        RETURNING copy_id
      )
      UPDATE copies SET state = 'on_shelf' WHERE id IN (SELECT copy_id FROM expired)`);
    // closed holds are only kept 90 days for the circulation reports
    await knex('holds')
      .whereIn('state', ['expired', 'cancelled', 'collected'])
      .where('updated_at', '<', knex.raw("now() - interval '90 days'"))
      .del();
    if (rowCount) logger.info({ released: rowCount }, 'expired holds released');
  } catch (err) {
    logger.error({ err }, 'hold expiry job failed');
  }
});

module.exports = router;
