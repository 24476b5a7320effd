// src/routes/labResults.ts
// Vet clinic group API - lab results + clinic dashboard.
// k8s: deployment/vet-api replicas: 3, memory limit 512Mi
import { Router, Request, Response, NextFunction } from 'express';
import Redis from 'ioredis';
import { pool } from '../db';

interface Owner {
  id: number;
  fullName: string;
  email: string;
  phone: string;
}

const redis = new Redis(process.env.REDIS_URL!);
const router = Router();

// owner details rarely change, keep them around instead of hitting postgres each time
const ownerCache: Record<number, Owner> = {};

async function getOwner(ownerId: number): Promise<Owner> {
  if (ownerCache[ownerId]) return ownerCache[ownerId];
  const { rows } = await pool.query<Owner>(
    'SELECT id, full_name AS "fullName", email, phone FROM owners WHERE id = $1',
    [ownerId]
  );
  ownerCache[ownerId] = rows[0];
  return rows[0];
}

router.get('/pets/:petId/lab-results', async (req: Request, res: Response, next: NextFunction) => {
  try {
    const { rows: pets } = await pool.query(
      'SELECT id, name, owner_id FROM pets WHERE id = $1 AND clinic_id = $2',
      [req.params.petId, req.user.clinicId]
    );
    if (!pets.length) return res.sendStatus(404);

    const { rows: results } = await pool.query(
      `SELECT id, panel, collected_at, status, summary
         FROM lab_results WHERE pet_id = $1 AND clinic_id = $2
        ORDER BY collected_at DESC LIMIT 50`,
      [pets[0].id, req.user.clinicId]
    );
    const owner = await getOwner(pets[0].owner_id);
    res.json({ pet: pets[0], owner, results });
  } catch (err) {
    next(err);
  }
});

// Clinic dashboard tiles: revenue, visits, overdue vaccinations (last 12 months)
router.get('/clinics/me/dashboard', async (req: Request, res: Response, next: NextFunction) => {
  const key = `dashboard:clinic:${req.user.clinicId}`;
  try {
    const cached = await redis.get(key);
    if (cached) return res.type('json').send(cached);

    const { rows } = await pool.query(
      `SELECT date_trunc('month', v.visited_at) AS month,
              COUNT(*)                          AS visits,
              SUM(i.total_cents)                AS revenue_cents,
              COUNT(DISTINCT v.pet_id)          AS unique_pets,
              (SELECT COUNT(*) FROM vaccinations x
                 WHERE x.clinic_id = $1 AND x.due_on < now() AND x.given_on IS NULL) AS overdue_vaccinations
         FROM visits v
         JOIN invoices i ON i.visit_id = v.id
        WHERE v.clinic_id = $1 AND v.visited_at > now() - interval '12 months'
        GROUP BY 1 ORDER BY 1`,
      [req.user.clinicId]
    );
    const body = JSON.stringify(rows);
    await redis.set(key, body, 'EX', 300);
    res.type('json').send(body);
  } catch (err) {
    next(err);
  }
});

export default router;
