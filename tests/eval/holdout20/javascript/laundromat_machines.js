// Laundromat machine control: start a wash/dry cycle from the app and pay with
// wallet credit. Runs on 3 instances behind the load balancer, so every
// decision is made inside Postgres rather than in process memory.
const express = require('express');
const db = require('../db'); // shared pg Pool (max 20, statement_timeout 5s)
const logger = require('../lib/logger');

const router = express.Router();

const CYCLE_PRICES_CENTS = { wash_30: 450, wash_60: 600, dry_20: 250, dry_40: 400 };
const CYCLE_MINUTES = { wash_30: 30, wash_60: 60, dry_20: 20, dry_40: 40 };

router.get('/locations/:locationId/machines', async (req, res, next) => {
  try {
    const { rows } = await db.query(
      `SELECT id, label, kind, status, cycle_ends_at
         FROM machines
        WHERE location_id = $1 AND operator_id = $2
        ORDER BY label
        LIMIT 100`,
      [req.params.locationId, req.user.operatorId]
    );
    res.json({ machines: rows });
  } catch (err) {
    next(err);
  }
});

router.post('/machines/:machineId/start', async (req, res, next) => {
  const { machineId } = req.params;
  const { cycle } = req.body;
  const price = CYCLE_PRICES_CENTS[cycle];
  if (!price) return res.status(400).json({ error: 'unknown cycle' });

  const client = await db.connect();
  try {
    await client.query('BEGIN');

    // Claim the machine only if it is idle right now; a second tap from
    // another phone finds zero rows and gets a 409.
    const claimed = await client.query(
      `UPDATE machines
          SET status = 'running',
              session_user_id = $1,
              cycle_ends_at = now() + make_interval(mins => $2)
        WHERE id = $3 AND operator_id = $4 AND status = 'idle'
        RETURNING id, label, cycle_ends_at`,
      [req.user.id, CYCLE_MINUTES[cycle], machineId, req.user.operatorId]
    );
    if (claimed.rowCount === 0) {
      await client.query('ROLLBACK');
      return res.status(409).json({ error: 'machine is busy or out of service' });
    }

    // Debit only if the balance covers it, in the same statement.
    const debited = await client.query(
      `UPDATE wallets
          SET credit_cents = credit_cents - $1
        WHERE user_id = $2 AND operator_id = $3 AND credit_cents >= $1
        RETURNING credit_cents`,
      [price, req.user.id, req.user.operatorId]
    );
    if (debited.rowCount === 0) {
      await client.query('ROLLBACK');
      return res.status(402).json({ error: 'not enough credit' });
    }

    await client.query(
      `INSERT INTO machine_sessions (machine_id, user_id, operator_id, cycle, price_cents)
       VALUES ($1, $2, $3, $4, $5)`,
      [machineId, req.user.id, req.user.operatorId, cycle, price]
    );
    await client.query('COMMIT');

    res.status(201).json({
      machine: claimed.rows[0],
      creditRemainingCents: debited.rows[0].credit_cents,
    });
  } catch (err) {
    await client.query('ROLLBACK').catch((rollbackErr) =>
      logger.error({ rollbackErr }, 'rollback failed'));
    next(err);
  } finally {
    client.release();
  }
});

module.exports = router;
