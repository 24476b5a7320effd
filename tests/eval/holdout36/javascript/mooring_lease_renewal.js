// services/mooringLeases.js
// Harbour mooring buoy leases run for a season. Leaseholders renew from the harbour office
// portal; the harbourmaster can also renew on their behalf. Each harbour is a separate tenant.
const express = require('express');
const { pool } = require('../db/pool'); // shared pg.Pool (max: 20, statement_timeout: 10s)
const { requireHarbourUser } = require('../middleware/auth');
const logger = require('../lib/logger');

const router = express.Router();
const RENEWAL_WINDOW_DAYS = 60;

async function renewLease(harbourId, leaseId, userId, idempotencyKey) {
  const client = await pool.connect();
  try {
    await client.query('BEGIN');

    // Replayed requests (double click, flaky mobile signal) return the first result.
    const claim = await client.query(
      `INSERT INTO lease_renewal_requests (idempotency_key, harbour_id, lease_id, requested_by)
       VALUES ($1, $2, $3, $4)
       ON CONFLICT (idempotency_key) DO NOTHING`,
      [idempotencyKey, harbourId, leaseId, userId]
    );
    if (claim.rowCount === 0) {
      await client.query('ROLLBACK');
      const prior = await pool.query(
        'SELECT lease_id, new_ends_on FROM lease_renewal_requests WHERE idempotency_key = $1 AND harbour_id = $2',
        [idempotencyKey, harbourId]
      );
      return { replayed: true, lease: prior.rows[0] };
    }

    // Lock the lease row so two renewals cannot both extend it.
    const { rows } = await client.query(
      `SELECT id, buoy_id, ends_on, status
         FROM mooring_leases
        WHERE id = $1 AND harbour_id = $2
        FOR UPDATE`,
      [leaseId, harbourId]
    );
    const lease = rows[0];
    if (!lease) {
      await client.query('ROLLBACK');
      return { notFound: true };
    }

    const daysLeft = (new Date(lease.ends_on) - Date.now()) / 86_400_000;
    if (lease.status !== 'active' || daysLeft > RENEWAL_WINDOW_DAYS) {
      await client.query('ROLLBACK');
      return { rejected: `renewal opens ${RENEWAL_WINDOW_DAYS} days before the lease ends` };
    }

    const updated = await client.query(
      `UPDATE mooring_leases
          SET ends_on = ends_on + interval '1 year', renewed_at = now(), renewed_by = $3
        WHERE id = $1 AND harbour_id = $2
        RETURNING ends_on`,
      [leaseId, harbourId, userId]
    );
    await client.query(
      'UPDATE lease_renewal_requests SET new_ends_on = $2 WHERE idempotency_key = $1',
      [idempotencyKey, updated.rows[0].ends_on]
    );

    await client.query('COMMIT');
    return { lease: { lease_id: leaseId, new_ends_on: updated.rows[0].ends_on } };
  } catch (err) {
    try {
      await client.query('ROLLBACK');
    } catch (rollbackErr) {
      logger.error({ err: rollbackErr }, 'rollback after failed renewal also failed');
    }
    logger.error({ err, harbourId, leaseId }, 'lease renewal failed');
    throw err;
  } finally {
    client.release();
  }
}

router.post('/harbours/:harbourId/leases/:leaseId/renew', requireHarbourUser, async (req, res, next) => {
  const key = req.get('Idempotency-Key');
  if (!key) return res.status(400).json({ error: 'Idempotency-Key header is required' });

  try {
    const result = await renewLease(req.params.harbourId, req.params.leaseId, req.user.id, key);
    if (result.notFound) return res.status(404).json({ error: 'lease not found' });
    if (result.rejected) return res.status(422).json({ error: result.rejected });
    res.status(result.replayed ? 200 : 201).json(result.lease);
  } catch (err) {
    next(err);
  }
});

module.exports = { router, renewLease };
