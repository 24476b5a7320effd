// Lido season lane bookings: rate limiting for the public booking endpoint.
// The booking API runs under PM2 in cluster mode (`pm2 start app.js -i 4`)
// behind the council's nginx, so bots hammering the 6am release get slowed down.

const WINDOW_MS = 60 * 1000;
const MAX_REQUESTS = 20;

const hits = new Map(); // clientKey -> { count, windowStart }

function clientKey(req) {
  const forwarded = req.headers['x-forwarded-for'];
  if (forwarded) {
    return forwarded.split(',')[0].trim();
  }
  return req.socket.remoteAddress;
}

function laneBookingLimiter(req, res, next) {
  const key = clientKey(req);
  const now = Date.now();
  const entry = hits.get(key);

  if (!entry || now - entry.windowStart > WINDOW_MS) {
    hits.set(key, { count: 1, windowStart: now });
    return next();
  }

  entry.count += 1;
  if (entry.count > MAX_REQUESTS) {
    const retryAfter = Math.ceil((entry.windowStart + WINDOW_MS - now) / 1000);
    res.set('Retry-After', String(retryAfter));
    return res.status(429).json({ error: 'Too many booking attempts, please wait a moment.' });
  }
  return next();
}

// Drop stale windows so the map does not keep every visitor from the season.
setInterval(() => {
  const cutoff = Date.now() - WINDOW_MS;
  for (const [key, entry] of hits) {
    if (entry.windowStart < cutoff) hits.delete(key);
  }
}, WINDOW_MS).unref();

// POST /lanes/:laneId/bookings  { sessionStart: ISO string }
// lane_bookings has UNIQUE (lane_id, session_start), so two swimmers racing
// for the same lane slot cannot both win.
async function bookLane(req, res, next) {
  const laneId = Number(req.params.laneId);
  const sessionStart = new Date(req.body.sessionStart);
  if (!Number.isInteger(laneId) || Number.isNaN(sessionStart.getTime())) {
    return res.status(400).json({ error: 'laneId and sessionStart are required' });
  }

  try {
    const result = await req.app.locals.db.query(
      `INSERT INTO lane_bookings (lane_id, session_start, member_id, booked_at)
       VALUES ($1, $2, $3, now())
       ON CONFLICT (lane_id, session_start) DO NOTHING
       RETURNING id`,
      [laneId, sessionStart, req.user.memberId]
    );
    if (result.rowCount === 0) {
      return res.status(409).json({ error: 'That lane is already taken for this session.' });
    }
    return res.status(201).json({ bookingId: result.rows[0].id });
  } catch (err) {
    return next(err);
  }
}

module.exports = function mountLaneBooking(app) {
  app.post('/lanes/:laneId/bookings', laneBookingLimiter, bookLane);
};
