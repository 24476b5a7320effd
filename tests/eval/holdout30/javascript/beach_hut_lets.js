// Beach hut seasonal lets — availability board and deposit payment links.
// Express handlers; `pool` is the shared pg Pool, `redis` the shared ioredis client.
import crypto from 'node:crypto';
import { pool } from '../db.js';
import { redis } from '../redis.js';
import { sendMail } from '../mail.js';

const BOARD_TTL_SECONDS = 60;
const LINK_VALID_HOURS = 48;

// Season board: every promenade with huts free / offered / let, plus the
// waiting-list length per row. The seafront page polls this every 30 s.
async function loadSeasonBoard(season) {
  const { rows } = await pool.query(
    `SELECT h.promenade,
            h.row_letter,
            count(*) FILTER (WHERE l.id IS NULL)                  AS free,
            count(*) FILTER (WHERE l.status = 'offered')          AS offered,
            count(*) FILTER (WHERE l.status = 'let')              AS let,
            (SELECT count(*) FROM waiting_list w
              WHERE w.promenade = h.promenade AND w.season = $1)  AS waiting
       FROM beach_huts h
       LEFT JOIN hut_lets l ON l.hut_id = h.id AND l.season = $1
      GROUP BY h.promenade, h.row_letter
      ORDER BY h.promenade, h.row_letter`,
    [season]
  );
  return rows;
}

export async function getSeasonBoard(req, res, next) {
  const season = Number(req.params.season);
  const key = `hut-board:${season}`;
  try {
    const cached = await redis.get(key);
    if (cached) return res.type('json').send(cached);

    const board = await loadSeasonBoard(season);
    const body = JSON.stringify({ season, rows: board, generatedAt: new Date().toISOString() });
    await redis.set(key, body, 'EX', BOARD_TTL_SECONDS);
    res.type('json').send(body);
  } catch (err) {
    next(err);
  }
}

// Council officer offers a hut to the next person on the waiting list; they
// get an emailed link to pay the deposit within 48 hours.
export async function offerHut(req, res, next) {
  const { hutId, applicantId, season } = req.body;
  try {
    const offer = await pool.query(
      `INSERT INTO hut_lets (hut_id, applicant_id, season, status)
       VALUES ($1, $2, $3, 'offered')
       ON CONFLICT (hut_id, season) DO NOTHING
       RETURNING id`,
      [hutId, applicantId, season]
    );
    if (offer.rowCount === 0) return res.status(409).json({ error: 'Hut already offered or let' });

    const token = crypto.randomBytes(24).toString('base64url');
    await pool.query(
      `INSERT INTO deposit_links (token, let_id, expires_at) VALUES ($1, $2, now() + make_interval(hours => $3))`,
      [token, offer.rows[0].id, LINK_VALID_HOURS]
    );

    const { rows: [applicant] } = await pool.query('SELECT email, name FROM applicants WHERE id = $1', [applicantId]);
    await sendMail(applicant.email, 'hut-offer', { name: applicant.name, link: `https://huts.example.gov.uk/pay/${token}` });
    res.status(201).json({ letId: offer.rows[0].id });
  } catch (err) {
    next(err);
  }
}

export async function openDepositLink(req, res, next) {
  try {
    const { rows } = await pool.query(
      `SELECT d.let_id, l.hut_id, l.season
         FROM deposit_links d JOIN hut_lets l ON l.id = d.let_id
        WHERE d.token = $1 AND d.expires_at > now() AND d.used_at IS NULL`,
      [req.params.token]
    );
    if (rows.length === 0) return res.status(410).json({ error: 'This link has expired' });
    res.json(rows[0]);
  } catch (err) {
    next(err);
  }
}
