// housing/src/holds.ts
// Students who win a lottery slot get a 48h hold on a room while they confirm.
// Single Express service (2 replicas behind the campus LB), knex + Postgres.
import express from 'express';
import cron from 'node-cron';
import { knex } from './db';
import { registrar } from './registrar'; // axios instance, timeout: 3000

const HOLD_HOURS = 48;

type Eligibility = { eligible: boolean; reason?: string; creditHours: number };

// avoid hitting the registrar for every request
const eligibilityCache = new Map<string, Eligibility>();

async function checkEligibility(studentId: string, term: string): Promise<Eligibility> {
  const k = `${studentId}:${term}`;
  const hit = eligibilityCache.get(k);
  if (hit) return hit;
  const { data } = await registrar.get<Eligibility>(`/students/${studentId}/housing-eligibility`, { params: { term } });
  eligibilityCache.set(k, data);
  return data;
}

export const router = express.Router();

router.post('/terms/:term/rooms/:roomId/hold', async (req, res, next) => {
  const { term, roomId } = req.params;
  const studentId = req.user.studentId;
  try {
    const elig = await checkEligibility(studentId, term);
    if (!elig.eligible) return res.status(403).json({ error: elig.reason ?? 'not eligible' });

    const hold = await knex.transaction(async (trx) => {
      const room = await trx('rooms').where({ id: roomId, term }).forUpdate().first('id', 'capacity');
      if (!room) return null;
      const [{ n }] = await trx('room_holds')
        .where({ room_id: roomId })
        .andWhere('hold_until', '>', trx.fn.now())
        .count({ n: '*' });
      const [{ a }] = await trx('room_assignments').where({ room_id: roomId }).count({ a: '*' });
      if (Number(n) + Number(a) >= room.capacity) return 'full';

      const [row] = await trx('room_holds')
        .insert({ room_id: roomId, student_id: studentId, term, hold_until: trx.raw(`now() + interval '${HOLD_HOURS} hours'`) })
        .returning(['id', 'hold_until']);
      return row;
    });

    if (hold === null) return res.sendStatus(404);
    if (hold === 'full') return res.status(409).json({ error: 'room is full' });
    res.status(201).json(hold);
  } catch (err) {
    next(err);
  }
});

router.post('/holds/:holdId/confirm', async (req, res, next) => {
  try {
    const confirmed = await knex.transaction(async (trx) => {
      const hold = await trx('room_holds')
        .where({ id: req.params.holdId, student_id: req.user.studentId })
        .andWhere('hold_until', '>', trx.fn.now())
        .forUpdate()
        .first();
      if (!hold) return false;
      await trx('room_assignments').insert({ room_id: hold.room_id, student_id: hold.student_id, term: hold.term });
      await trx('room_holds').where({ id: hold.id }).del();
      return true;
    });
    if (!confirmed) return res.status(410).json({ error: 'hold expired or not found' });
    res.json({ confirmed: true });
  } catch (err) {
    next(err);
  }
});

// nightly: email students whose hold ends within 12 hours
cron.schedule('0 20 * * *', async () => {
  const soon = await knex('room_holds as h')
    .join('students as s', 's.id', 'h.student_id')
    .whereRaw("h.hold_until BETWEEN now() AND now() + interval '12 hours'")
    .select('s.email', 'h.room_id', 'h.hold_until');
  if (soon.length === 0) return;
  await knex('outbound_emails').insert(
    soon.map((r) => ({ to: r.email, template: 'hold-expiring', payload: JSON.stringify(r) })),
  );
});
