// Cycle repair café: walk-in tickets on session days.
// Visitors take a number at the door tablet; volunteer mechanics claim the next bike.
// Runs as 3 containers behind the council's load balancer, so all shared state is in
// Redis or Postgres.
const express = require('express');
const Redis = require('ioredis');
const { pool } = require('./db');
const { requireVolunteer, requireDoorTablet } = require('./auth');

const redis = new Redis(process.env.REDIS_URL, {
  connectTimeout: 2000,
  commandTimeout: 1000,
  maxRetriesPerRequest: 2,
});

const router = express.Router();

const TICKET_KEY_TTL_S = 36 * 3600; // counters die the day after the session

function sessionDate(d = new Date()) {
  return d.toISOString().slice(0, 10);
}

// Door tablet: issue the next queue number for today's session.
router.post('/cafes/:cafeId/tickets', requireDoorTablet, async (req, res, next) => {
  const { cafeId } = req.params;
  const counterKey = `repaircafe:${cafeId}:${sessionDate()}:ticketno`;
  try {
    const [[, number]] = await redis.multi().incr(counterKey).expire(counterKey, TICKET_KEY_TTL_S).exec();

    const { rows } = await pool.query(
      `INSERT INTO repair_tickets (cafe_id, session_date, queue_number, visitor_name, bike_fault)
       VALUES ($1, $2, $3, $4, $5)
       RETURNING id, queue_number, status`,
      [cafeId, sessionDate(), number, req.body.visitorName, (req.body.fault || '').slice(0, 500)]
    );
    res.status(201).json(rows[0]);
  } catch (err) {
    next(err);
  }
});

// Volunteer claims a specific waiting ticket. Two mechanics tapping the same card at
// once: only one UPDATE matches status = 'waiting'.
router.post('/cafes/:cafeId/tickets/:ticketId/claim', requireVolunteer, async (req, res, next) => {
  try {
    const result = await pool.query(
      `UPDATE repair_tickets
          SET status = 'in_progress', volunteer_id = $1, claimed_at = now()
        WHERE id = $2 AND cafe_id = $3 AND status = 'waiting'
        RETURNING id, queue_number, visitor_name, bike_fault`,
      [req.user.id, req.params.ticketId, req.params.cafeId]
    );
    if (result.rowCount === 0) {
      return res.status(409).json({ error: 'Ticket already claimed or closed' });
    }
    res.json(result.rows[0]);
  } catch (err) {
    next(err);
  }
});

// Only one person at a time on the truing stand; hold it for up to 20 minutes.
router.post('/cafes/:cafeId/truing-stand/hold', requireVolunteer, async (req, res, next) => {
  const key = `repaircafe:${req.params.cafeId}:truing-stand`;
  try {
    const ok = await redis.set(key, String(req.user.id), 'PX', 20 * 60 * 1000, 'NX');
    if (ok !== 'OK') {
      const holder = await redis.get(key);
      return res.status(409).json({ error: 'Stand in use', heldBy: holder });
    }
    res.status(204).end();
  } catch (err) {
    next(err);
  }
});

router.get('/cafes/:cafeId/tickets/today', requireVolunteer, async (req, res, next) => {
  try {
    const { rows } = await pool.query(
      `SELECT id, queue_number, visitor_name, bike_fault, status, volunteer_id
         FROM repair_tickets
        WHERE cafe_id = $1 AND session_date = $2
        ORDER BY queue_number
        LIMIT 300`,
      [req.params.cafeId, sessionDate()]
    );
    res.json(rows);
  } catch (err) {
    next(err);
  }
});

module.exports = router;
