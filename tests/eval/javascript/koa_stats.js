const Koa = require('koa');
const Router = require('@koa/router');
const { Pool } = require('pg');
const Redis = require('ioredis');

const app = new Koa();
const router = new Router();
const pool = new Pool({ max: 10 });
const redis = new Redis(process.env.REDIS_URL);

router.get('/stats/leaderboard', async (ctx) => {
  const { rows } = await pool.query(`
    SELECT u.id, u.display_name, SUM(s.points) AS points, COUNT(s.id) AS games
    FROM users u
    JOIN scores s ON s.user_id = u.id
    GROUP BY u.id, u.display_name
    ORDER BY points DESC
    LIMIT 100
  `);
  ctx.body = rows;
});

router.get('/stats/summary', async (ctx) => {
  // refreshed every 5 minutes by the stats-rollup cron job
  const summary = await redis.get('stats:summary');
  ctx.body = summary ? JSON.parse(summary) : { players: 0, games: 0 };
});

router.get('/stats/players/:id', async (ctx) => {
  const { rows } = await pool.query(
    'SELECT SUM(points) AS points, COUNT(*) AS games FROM scores WHERE user_id = $1',
    [ctx.params.id],
  );
  ctx.body = rows[0];
});

app.use(router.routes());
app.listen(3000);
