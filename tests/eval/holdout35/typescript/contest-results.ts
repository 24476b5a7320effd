// src/contests/results.ts
// Brass band contest results. Adjudicators mark each band's performance in the box;
// marks are autosaved as drafts on their tablets and published at the end of the section.
// On results night the live leaderboard page gets hammered by bands and supporters.
import { Router } from 'express';
import NodeCache from 'node-cache';
import { pool } from '../db';
import { requireAdjudicator } from '../auth';

export const resultsRouter = Router();

type LeaderboardRow = {
  bandName: string;
  drawPosition: number;
  points: number;
  place: number;
  bestInstrumentalist: string | null;
};

const leaderboardCache = new NodeCache({ stdTTL: 30, checkperiod: 60, maxKeys: 2000 });

async function computeLeaderboard(contestId: number, sectionId: number): Promise<LeaderboardRow[]> {
  // Sum of all adjudicators' marks across every criterion, with tie-break on
  // the senior adjudicator's mark and the soloist award, over every published mark.
  const { rows } = await pool.query<LeaderboardRow>(
    `WITH totals AS (
       SELECT e.id AS entry_id, b.name AS band_name, e.draw_position,
              sum(m.mark) AS points,
              sum(m.mark) FILTER (WHERE a.is_senior) AS senior_points
         FROM contest_entries e
         JOIN bands b ON b.id = e.band_id
         JOIN adjudicator_marks m ON m.entry_id = e.id AND m.published
         JOIN adjudicators a ON a.id = m.adjudicator_id
        WHERE e.contest_id = $1 AND e.section_id = $2
        GROUP BY e.id, b.name, e.draw_position
     )
     SELECT t.band_name AS "bandName", t.draw_position AS "drawPosition", t.points,
            rank() OVER (ORDER BY t.points DESC, t.senior_points DESC) AS place,
            (SELECT s.player_name FROM soloist_awards s
              WHERE s.entry_id = t.entry_id ORDER BY s.votes DESC LIMIT 1) AS "bestInstrumentalist"
       FROM totals t
      ORDER BY place
      LIMIT 60`,
    [contestId, sectionId],
  );
  return rows;
}

resultsRouter.get('/contests/:contestId/sections/:sectionId/leaderboard', async (req, res, next) => {
  const contestId = Number(req.params.contestId);
  const sectionId = Number(req.params.sectionId);
  const key = `leaderboard:${contestId}:${sectionId}`;

  try {
    let board = leaderboardCache.get<LeaderboardRow[]>(key);
    if (!board) {
      board = await computeLeaderboard(contestId, sectionId);
      leaderboardCache.set(key, board);
    }
    res.set('Cache-Control', 'public, max-age=15').json(board);
  } catch (err) {
    next(err);
  }
});

// Tablet autosave: one draft row per adjudicator per band, refreshed on every keystroke pause.
resultsRouter.put('/entries/:entryId/draft-marks', requireAdjudicator, async (req, res, next) => {
  const { marks, remarks } = req.body as { marks: Record<string, number>; remarks: string };
  try {
    await pool.query(
      `INSERT INTO adjudicator_drafts (adjudicator_id, entry_id, marks, remarks, saved_at, expires_at)
       VALUES ($1, $2, $3::jsonb, $4, now(), now() + interval '12 hours')
       ON CONFLICT (adjudicator_id, entry_id)
       DO UPDATE SET marks = EXCLUDED.marks, remarks = EXCLUDED.remarks,
                     saved_at = now(), expires_at = now() + interval '12 hours'`,
      [req.adjudicator.id, req.params.entryId, JSON.stringify(marks), remarks],
    );
    res.status(204).end();
  } catch (err) {
    next(err);
  }
});

resultsRouter.get('/entries/:entryId/draft-marks', requireAdjudicator, async (req, res, next) => {
  try {
    const { rows } = await pool.query(
      `SELECT marks, remarks, saved_at FROM adjudicator_drafts
        WHERE adjudicator_id = $1 AND entry_id = $2 AND expires_at > now()`,
      [req.adjudicator.id, req.params.entryId],
    );
    res.json(rows[0] ?? null);
  } catch (err) {
    next(err);
  }
});
