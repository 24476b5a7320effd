const Koa = require('koa');
const Router = require('@koa/router');
const bodyParser = require('koa-bodyparser');
const mysql = require('mysql2/promise');

const pool = mysql.createPool({
  uri: process.env.DATABASE_URL,
  connectionLimit: 25,
  connectTimeout: 5000,
  namedPlaceholders: true,
});

const router = new Router({ prefix: '/tournaments' });

// Seat accounting is done in SQL: seats_left can never go below zero and a player
// can hold at most one registration (UNIQUE KEY uq_reg (tournament_id, player_id)).
router.post('/:id/registrations', async (ctx) => {
  const tournamentId = Number(ctx.params.id);
  const playerId = ctx.state.user.id;

  const conn = await pool.getConnection();
  try {
    await conn.beginTransaction();
    const [upd] = await conn.execute(
      `UPDATE tournaments
          SET seats_left = seats_left - 1
        WHERE id = :tournamentId AND status = 'open' AND seats_left > 0`,
      { tournamentId }
    );
    if (upd.affectedRows === 0) {
      await conn.rollback();
      ctx.throw(409, 'tournament full or closed');
    }
    await conn.execute(
      'INSERT INTO registrations (tournament_id, player_id, registered_at) VALUES (:tournamentId, :playerId, NOW())',
      { tournamentId, playerId }
    );
    await conn.commit();
    ctx.status = 201;
    ctx.body = { tournamentId, playerId };
  } catch (err) {
    await conn.rollback().catch(() => {});
    if (err.code === 'ER_DUP_ENTRY') ctx.throw(409, 'already registered');
    throw err;
  } finally {
    conn.release();
  }
});

router.delete('/:id/registrations/me', async (ctx) => {
  const tournamentId = Number(ctx.params.id);
  const conn = await pool.getConnection();
  try {
    await conn.beginTransaction();
    const [del] = await conn.execute(
      'DELETE FROM registrations WHERE tournament_id = :tournamentId AND player_id = :playerId',
      { tournamentId, playerId: ctx.state.user.id }
    );
    if (del.affectedRows === 1) {
      await conn.execute('UPDATE tournaments SET seats_left = seats_left + 1 WHERE id = :tournamentId', { tournamentId });
    }
    await conn.commit();
    ctx.status = 204;
  } catch (err) {
    await conn.rollback().catch(() => {});
    throw err;
  } finally {
    conn.release();
  }
});

router.get('/:id/registrations', async (ctx) => {
  const limit = Math.min(Number(ctx.query.limit) || 50, 200);
  const after = Number(ctx.query.after) || 0;
  const [rows] = await pool.execute(
    `SELECT r.id, r.player_id, p.handle, p.rating, r.registered_at
       FROM registrations r
       JOIN players p ON p.id = r.player_id
      WHERE r.tournament_id = :tournamentId AND r.id > :after
      ORDER BY r.id
      LIMIT ${limit}`,
    { tournamentId: Number(ctx.params.id), after }
  );
  ctx.body = { items: rows, next: rows.length === limit ? rows[rows.length - 1].id : null };
});

const app = new Koa();
app.use(bodyParser());
app.use(router.routes()).use(router.allowedMethods());
app.listen(process.env.PORT || 3000);
