'use strict';
// Chess club rating ladder.
// Club games are played on the online board server; when a rated ladder game finishes the
// server POSTs a "game.finished" event to us and we move both players on the ladder.
const crypto = require('crypto');
const express = require('express');
const { Pool } = require('pg');

const pool = new Pool({ max: 10, connectionTimeoutMillis: 5000, statement_timeout: 10000 });
const app = express();

const K_FACTOR = 24;
const WEBHOOK_SECRET = process.env.BOARD_SERVER_WEBHOOK_SECRET;

function expectedScore(ratingA, ratingB) {
  return 1 / (1 + 10 ** ((ratingB - ratingA) / 400));
}

function verifySignature(req) {
  const sig = req.get('X-Board-Signature') || '';
  const mac = crypto.createHmac('sha256', WEBHOOK_SECRET).update(req.rawBody).digest('hex');
  return sig.length === mac.length && crypto.timingSafeEqual(Buffer.from(sig), Buffer.from(mac));
}

app.use(express.json({ verify: (req, _res, buf) => { req.rawBody = buf; } }));

app.post('/webhooks/board-server', async (req, res) => {
  if (!verifySignature(req)) return res.status(401).end();

  const { type, game } = req.body;
  if (type !== 'game.finished' || !game.rated) return res.status(204).end();

  const client = await pool.connect();
  try {
    await client.query('BEGIN');

    const { rows } = await client.query(
      'SELECT id, board_username, rating, games_played FROM ladder_players WHERE ladder_id = $1 AND board_username = ANY($2)',
      [game.ladderId, [game.white, game.black]]
    );
    const white = rows.find((r) => r.board_username === game.white);
    const black = rows.find((r) => r.board_username === game.black);
    if (!white || !black) {
      await client.query('ROLLBACK');
      return res.status(422).json({ error: 'players not on this ladder' });
    }

    const scoreWhite = game.result === '1-0' ? 1 : game.result === '0-1' ? 0 : 0.5;
    const expWhite = expectedScore(white.rating, black.rating);
    const delta = Math.round(K_FACTOR * (scoreWhite - expWhite));

    await client.query(
      'UPDATE ladder_players SET rating = $1, games_played = $2 WHERE id = $3',
      [white.rating + delta, white.games_played + 1, white.id]
    );
    await client.query(
      'UPDATE ladder_players SET rating = $1, games_played = $2 WHERE id = $3',
      [black.rating - delta, black.games_played + 1, black.id]
    );
    await client.query(
      `INSERT INTO ladder_games (ladder_id, white_id, black_id, result, rating_delta, played_at)
       VALUES ($1, $2, $3, $4, $5, $6)`,
      [game.ladderId, white.id, black.id, game.result, delta, game.endedAt]
    );

    await client.query('COMMIT');
    return res.status(200).json({ delta });
  } catch (err) {
    await client.query('ROLLBACK');
    console.error('ladder update failed', { gameId: game.id, err });
    return res.status(500).end();
  } finally {
    client.release();
  }
});

app.get('/ladders/:ladderId/standings', async (req, res, next) => {
  try {
    const { rows } = await pool.query(
      `SELECT id, display_name, rating, games_played
         FROM ladder_players
        WHERE ladder_id = $1 AND active
        ORDER BY rating DESC
        LIMIT 100`,
      [req.params.ladderId]
    );
    res.json(rows);
  } catch (err) {
    next(err);
  }
});

module.exports = app;
