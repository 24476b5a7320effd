// Piano tuning visits — office dashboard API (Knex + Postgres).
// The office staff keep the dashboard open all day; it refreshes every 60 s.
const express = require('express');
const knex = require('knex')({
  client: 'pg',
  connection: process.env.DATABASE_URL,
  pool: { min: 2, max: 10 },
  acquireConnectionTimeout: 10000,
});

const router = express.Router();

// GET /dashboard/summary
router.get('/dashboard/summary', async (req, res, next) => {
  try {
    const perTuner = await knex.raw(`
      SELECT t.id, t.name,
             date_trunc('month', v.visited_at) AS month,
             count(*) AS visits,
             avg(v.duration_minutes) AS avg_minutes,
             percentile_cont(0.9) WITHIN GROUP (ORDER BY v.travel_minutes) AS p90_travel,
             sum(v.fee_cents) AS revenue_cents,
             count(*) FILTER (WHERE v.pitch_raise) AS pitch_raises
        FROM tuning_visits v
        JOIN tuners t ON t.id = v.tuner_id
       GROUP BY t.id, t.name, date_trunc('month', v.visited_at)
       ORDER BY month DESC, t.name
    `);

    const upcoming = await knex('tuning_visits')
      .where('visited_at', '>=', knex.fn.now())
      .andWhere('status', 'scheduled')
      .orderBy('visited_at')
      .limit(25)
      .select('id', 'customer_name', 'postcode', 'visited_at', 'tuner_id');

    res.json({ perTuner: perTuner.rows, upcoming });
  } catch (err) {
    next(err);
  }
});

// GET /visits/export — used by the bookkeeper's spreadsheet import
router.get('/visits/export', async (req, res, next) => {
  try {
    const rows = await knex('tuning_visits')
      .join('customers', 'customers.id', 'tuning_visits.customer_id')
      .select(
        'tuning_visits.id',
        'customers.name as customer',
        'tuning_visits.visited_at',
        'tuning_visits.fee_cents',
        'tuning_visits.piano_make',
        'tuning_visits.notes'
      )
      .orderBy('tuning_visits.visited_at');
    res.json(rows);
  } catch (err) {
    next(err);
  }
});

// PATCH /visits/:id/complete
router.patch('/visits/:id/complete', async (req, res, next) => {
  const { durationMinutes, pitchRaise, notes } = req.body;
  try {
    const updated = await knex('tuning_visits')
      .where({ id: req.params.id, status: 'scheduled' })
      .update({
        status: 'completed',
        duration_minutes: durationMinutes,
        pitch_raise: Boolean(pitchRaise),
        notes,
        completed_at: knex.fn.now(),
      });
    if (updated === 0) return res.status(409).json({ error: 'visit not open' });
    res.json({ ok: true });
  } catch (err) {
    next(err);
  }
});

module.exports = router;
