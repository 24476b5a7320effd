// src/routes/tourHolds.ts
// Checkout flow for historic mill guided tours. When a visitor picks a tour we
// hold their places for 15 minutes while they pay; availability subtracts live
// holds. Also serves the trustees' visitor dashboard.
import { Router, Request, Response, NextFunction } from 'express';
import { pool } from '../db';
import { requireTrustee } from '../middleware/auth';

export const tourHolds = Router();

const HOLD_MINUTES = 15;

tourHolds.post('/mills/:millId/tours/:tourId/holds', async (req: Request, res: Response, next: NextFunction) => {
  const { millId, tourId } = req.params;
  const places = Number(req.body.places);
  if (!Number.isInteger(places) || places < 1 || places > 6) {
    return res.status(400).json({ error: 'Between 1 and 6 places' });
  }

  const client = await pool.connect();
  try {
    await client.query('BEGIN');
    // Lock the tour row so concurrent holds are counted one after another.
    const tour = await client.query(
      'SELECT capacity FROM mill_tours WHERE id = $1 AND mill_id = $2 FOR UPDATE',
      [tourId, millId]
    );
    if (tour.rowCount === 0) {
      await client.query('ROLLBACK');
      return res.status(404).json({ error: 'Tour not found' });
    }

    const used = await client.query(
      `SELECT
         (SELECT coalesce(sum(places), 0) FROM tour_bookings WHERE tour_id = $1 AND mill_id = $2)
       + (SELECT coalesce(sum(places), 0) FROM tour_holds WHERE tour_id = $1 AND mill_id = $2 AND expires_at > now())
         AS taken`,
      [tourId, millId]
    );
    if (Number(used.rows[0].taken) + places > tour.rows[0].capacity) {
      await client.query('ROLLBACK');
      return res.status(409).json({ error: 'Not enough places left on this tour' });
    }

    const hold = await client.query(
      `INSERT INTO tour_holds (mill_id, tour_id, places, visitor_token, expires_at)
       VALUES ($1, $2, $3, gen_random_uuid(), now() + make_interval(mins => $4))
       RETURNING id, visitor_token, expires_at`,
      [millId, tourId, places, HOLD_MINUTES]
    );
    await client.query('COMMIT');
    res.status(201).json(hold.rows[0]);
  } catch (err) {
    await client.query('ROLLBACK');
    next(err);
  } finally {
    client.release();
  }
});

// Trustees' dashboard: visitor numbers since the mill reopened, by month and tour type.
tourHolds.get('/mills/:millId/dashboard', requireTrustee, async (req: Request, res: Response, next: NextFunction) => {
  try {
    const { rows } = await pool.query(
      `SELECT date_trunc('month', t.starts_at) AS month,
              t.tour_type,
              count(DISTINCT b.id)::int AS bookings,
              sum(b.places)::int AS visitors,
              round(avg(f.rating), 2) AS avg_rating,
              sum(b.amount_pence)::bigint AS takings_pence
         FROM tour_bookings b
         JOIN mill_tours t ON t.id = b.tour_id
         LEFT JOIN visitor_feedback f ON f.booking_id = b.id
        WHERE b.mill_id = $1
        GROUP BY 1, 2
        ORDER BY 1 DESC, 2`,
      [req.params.millId]
    );
    res.json({ millId: req.params.millId, months: rows });
  } catch (err) {
    next(err);
  }
});
