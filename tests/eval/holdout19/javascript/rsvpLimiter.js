// middleware/rsvpLimiter.js — is this ok? the meetups API runs 4 replicas on Fly
const WINDOW_MS = 60_000;
const MAX_RSVPS = 10;
const hits = new Map(); // ip -> { count, windowStart }

module.exports = function rsvpLimiter(req, res, next) {
  const ip = (req.headers['x-forwarded-for'] || '').split(',')[0].trim() || req.socket.remoteAddress;
  const now = Date.now();
  const entry = hits.get(ip);
  if (!entry || now - entry.windowStart > WINDOW_MS) {
    hits.set(ip, { count: 1, windowStart: now });
    return next();
  }
  if (entry.count >= MAX_RSVPS) {
    res.set('Retry-After', String(Math.ceil((entry.windowStart + WINDOW_MS - now) / 1000)));
    return res.status(429).json({ error: 'Too many RSVPs, slow down' });
  }
  entry.count++;
  next();
};
