// Community composting: residents log each drop-off at one of the bays
// (weight is read off the scale by the volunteer on duty). The dashboard on
// the council's "green living" page shows totals and the busiest bays.
import express from 'express';
import { z } from 'zod';
import knex from '../db/knex.js'; // shared instance, pool { min: 2, max: 10 }

const router = express.Router();

const dropoffSchema = z.object({
  bayId: z.number().int().positive(),
  residentId: z.number().int().positive(),
  weightKg: z.number().positive().max(200),
  material: z.enum(['greens', 'browns', 'mixed']),
});

router.post('/dropoffs', async (req, res, next) => {
  const parsed = dropoffSchema.safeParse(req.body);
  if (!parsed.success) {
    return res.status(400).json({ errors: parsed.error.flatten() });
  }
  try {
    const [row] = await knex('compost_dropoffs')
      .insert({
        bay_id: parsed.data.bayId,
        resident_id: parsed.data.residentId,
        weight_kg: parsed.data.weightKg,
        material: parsed.data.material,
        logged_by: req.user.id,
      })
      .returning(['id', 'created_at']);
    res.status(201).json(row);
  } catch (err) {
    next(err);
  }
});

// Used by the volunteer tablet to show the history of drop-offs.
router.get('/dropoffs', async (req, res, next) => {
  try {
    const rows = await knex('compost_dropoffs').select('id', 'bay_id', 'resident_id', 'weight_kg', 'material', 'created_at').orderBy('created_at', 'desc');
    res.json(rows);
  } catch (err) {
    next(err);
  }
});

// Public dashboard, embedded on the council homepage.
router.get('/dashboard', async (req, res, next) => {
  try {
    const totals = await knex.raw(`
      SELECT b.name AS bay,
             date_trunc('month', d.created_at) AS month,
             d.material,
             count(*) AS dropoffs,
             count(DISTINCT d.resident_id) AS residents,
             sum(d.weight_kg) AS total_kg,
             percentile_cont(0.5) WITHIN GROUP (ORDER BY d.weight_kg) AS median_kg
        FROM compost_dropoffs d
        JOIN compost_bays b ON b.id = d.bay_id
       GROUP BY b.name, date_trunc('month', d.created_at), d.material
       ORDER BY month DESC, total_kg DESC
    `);

    const co2 = totals.rows.reduce((acc, r) => acc + Number(r.total_kg) * 0.45, 0);

    res.json({
      months: totals.rows,
      co2SavedKg: Math.round(co2),
      generatedAt: new Date().toISOString(),
    });
  } catch (err) {
    next(err);
  }
});

router.get('/bays', async (req, res, next) => {
  try {
    const bays = await knex('compost_bays')
      .select('id', 'name', 'capacity_kg', 'open_hours')
      .where({ active: true })
      .orderBy('name')
      .limit(100);
    res.json(bays);
  } catch (err) {
    next(err);
  }
});

export default router;
