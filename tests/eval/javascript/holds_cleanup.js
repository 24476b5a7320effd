const cron = require('node-cron');
const { pool } = require('./db');

async function holdSeat(eventId, seatId, userId) {
  const { rows } = await pool.query(
    `INSERT INTO seat_holds (event_id, seat_id, user_id, expires_at)
     VALUES ($1, $2, $3, now() + interval '10 minutes')
     ON CONFLICT (event_id, seat_id) DO NOTHING
     RETURNING id, expires_at`,
    [eventId, seatId, userId],
  );
  return rows[0] || null;
}

// every minute: drop holds that ran out
cron.schedule('* * * * *', async () => {
  await pool.query('DELETE FROM seat_holds WHERE expires_at < now()');
});

module.exports = { holdSeat };
