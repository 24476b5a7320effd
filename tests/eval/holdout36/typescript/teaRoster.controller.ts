// routes/teaRoster.ts
// League-wide cricket admin platform: each village club (tenant) manages its own tea rota
// for home fixtures. Members see upcoming duties; the club page shows a "tea legends" panel.
import { Router, Request, Response, NextFunction } from 'express';
import { db } from '../db/knex';
import { requireClubMember } from '../middleware/auth';

interface AuthedRequest extends Request {
  user: { id: string; clubId: string; role: 'member' | 'captain' | 'tea_secretary' };
}

export const teaRoster = Router();

// GET /clubs/:clubId/teas/upcoming — next few home fixtures with who is on teas
teaRoster.get('/clubs/:clubId/teas/upcoming', requireClubMember, async (req, res, next) => {
  try {
    const duties = await db('tea_duties as d')
      .join('fixtures as f', 'f.id', 'd.fixture_id')
      .join('members as m', 'm.id', 'd.member_id')
      .where('d.club_id', req.params.clubId)
      .andWhere('f.starts_at', '>=', db.fn.now())
      .select('d.id', 'f.opposition', 'f.starts_at', 'm.display_name', 'd.bringing')
      .orderBy('f.starts_at', 'asc')
      .limit(30);
    res.json(duties);
  } catch (err) {
    next(err);
  }
});

// GET /teas/:dutyId — detail view opened from the reminder text
teaRoster.get('/teas/:dutyId', requireClubMember, async (req: Request, res: Response, next: NextFunction) => {
  try {
    const duty = await db('tea_duties').where({ id: req.params.dutyId }).first();
    if (!duty) return res.status(404).json({ error: 'not found' });

    const fixture = await db('fixtures')
      .where({ id: duty.fixture_id, club_id: duty.club_id })
      .first('opposition', 'starts_at', 'ground', 'tea_interval_at');
    res.json({ ...duty, fixture });
  } catch (err) {
    next(err);
  }
});

// PATCH /clubs/:clubId/teas/:dutyId — tea secretary edits what someone is bringing
teaRoster.patch('/clubs/:clubId/teas/:dutyId', requireClubMember, async (req, res, next) => {
  const user = (req as AuthedRequest).user;
  if (user.role !== 'tea_secretary' || user.clubId !== req.params.clubId) {
    return res.status(403).json({ error: 'tea secretary only' });
  }
  try {
    const updated = await db('tea_duties')
      .where({ id: req.params.dutyId, club_id: req.params.clubId })
      .update({ bringing: req.body.bringing, updated_at: db.fn.now() });
    if (updated === 0) return res.status(404).json({ error: 'not found' });
    res.status(204).end();
  } catch (err) {
    next(err);
  }
});

// GET /clubs/:clubId/teas/legends — sidebar panel on the club home page, covering every
// season since the club joined the platform
teaRoster.get('/clubs/:clubId/teas/legends', async (req, res, next) => {
  try {
    const result = await db.raw(`SELECT m.id, m.display_name,
              count(DISTINCT d.fixture_id) AS teas_done,
              round(avg(r.stars)::numeric, 2) AS avg_rating,
              count(*) FILTER (WHERE r.comment ILIKE '%scone%') AS scone_mentions,
              min(f.starts_at) AS first_tea,
              rank() OVER (ORDER BY avg(r.stars) DESC NULLS LAST, count(DISTINCT d.fixture_id) DESC) AS position
         FROM tea_duties d
         JOIN members m ON m.id = d.member_id
         JOIN fixtures f ON f.id = d.fixture_id
         LEFT JOIN tea_ratings r ON r.fixture_id = d.fixture_id
        WHERE d.club_id = ?
        GROUP BY m.id, m.display_name
        ORDER BY position
        LIMIT 10`,
      [req.params.clubId],
    );
    res.json(result.rows);
  } catch (err) {
    next(err);
  }
});
