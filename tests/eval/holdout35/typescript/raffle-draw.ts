// src/routes/raffleDraw.ts
// Lifeboat station open day raffle: the station's raffle officer presses "Draw"
// on the admin page at 4pm; winners are picked, stored, and every ticket buyer
// gets the results email (the big stations sell 5-6,000 stubs on the day).
// API runs on Fly.io with 3 machines in lhr.
import { Router } from 'express';
import { randomInt } from 'node:crypto';
import { pool } from '../db';
import { requireStationAdmin } from '../auth';
import { sendResultsEmail } from '../mail/raffleResults';
import { logger } from '../logger';

export const raffleDrawRouter = Router();

// station:raffle -> progress of the results mail-out, polled by the admin page's progress bar
const drawProgress = new Map<string, { emailed: number; total: number; finished: boolean }>();

interface Prize { id: number; rank: number; title: string; donor: string }
interface Stub { ticket_number: number; buyer_name: string; buyer_email: string }

function pickWinners(stubs: Stub[], prizes: Prize[]) {
  const pool_ = [...stubs];
  return prizes
    .sort((a, b) => a.rank - b.rank)
    .map((prize) => {
      const [winner] = pool_.splice(randomInt(pool_.length), 1);
      return { prize, winner };
    });
}

raffleDrawRouter.post('/stations/:stationId/raffles/:raffleId/draw', requireStationAdmin, async (req, res, next) => {
  const { stationId, raffleId } = req.params;

  try {
    // Claim the draw: only the first press gets a row back.
    const raffle = await pool.query(
      `UPDATE raffles SET drawn_at = now()
        WHERE id = $1 AND station_id = $2 AND drawn_at IS NULL
        RETURNING id, title`,
      [raffleId, stationId],
    );
    if (raffle.rowCount === 0) return res.status(409).json({ error: 'raffle not found or already drawn' });

    const [{ rows: prizes }, { rows: stubs }] = await Promise.all([
      pool.query<Prize>(
        'SELECT id, rank, title, donor FROM raffle_prizes WHERE raffle_id = $1 AND station_id = $2',
        [raffleId, stationId],
      ),
      pool.query<Stub>(
        `SELECT ticket_number, buyer_name, buyer_email
           FROM raffle_tickets WHERE raffle_id = $1 AND station_id = $2`,
        [raffleId, stationId],
      ),
    ]);
    if (stubs.length < prizes.length) {
      await pool.query('UPDATE raffles SET drawn_at = NULL WHERE id = $1 AND station_id = $2', [raffleId, stationId]);
      return res.status(422).json({ error: 'not enough tickets sold' });
    }

    const results = pickWinners(stubs, prizes);

    await pool.query(
      `UPDATE raffle_prizes p
          SET winning_ticket = w.ticket_number
         FROM unnest($1::int[], $2::int[]) AS w(prize_id, ticket_number)
        WHERE p.id = w.prize_id AND p.station_id = $3`,
      [results.map((r) => r.prize.id), results.map((r) => r.winner.ticket_number), stationId],
    );

    const winnersList = results.map((r) => ({
      prize: r.prize.title,
      donor: r.prize.donor,
      ticket: r.winner.ticket_number,
      name: r.winner.buyer_name.split(' ')[0],
    }));

    // One email per buyer, even if they bought several strips.
    const buyers = new Map(stubs.map((s) => [s.buyer_email.toLowerCase(), s.buyer_name]));
    const progress = { emailed: 0, total: buyers.size, finished: false };
    drawProgress.set(`${stationId}:${raffleId}`, progress);
    for (const [email, name] of buyers) {
      await sendResultsEmail({ to: email, name, raffleTitle: raffle.rows[0].title, winners: winnersList });
      progress.emailed += 1;
    }
    progress.finished = true;

    logger.info({ raffleId, prizes: prizes.length, emailed: buyers.size }, 'raffle drawn');
    res.json({ winners: winnersList, emailed: buyers.size });
  } catch (err) {
    next(err);
  }
});

raffleDrawRouter.get('/stations/:stationId/raffles/:raffleId/draw/progress', requireStationAdmin, (req, res) => {
  const progress = drawProgress.get(`${req.params.stationId}:${req.params.raffleId}`);
  if (!progress) return res.status(404).json({ error: 'no draw running' });
  res.json(progress);
});
