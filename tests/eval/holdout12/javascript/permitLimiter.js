// middleware/permitLimiter.js
// throttle the public "check my permit status" endpoint - people were hammering it w/ scripts
// api runs 3 replicas behind the ALB (helm values: replicaCount: 3)

const WINDOW_MS = 60 * 1000;
const MAX_PER_WINDOW = 30;

const hits = new Map(); // ip -> { count, resetAt }

// sweep old entries so the map doesn't grow forever
setInterval(() => {
  const now = Date.now();
  for (const [ip, entry] of hits) {
    if (entry.resetAt <= now) hits.delete(ip);
  }
}, WINDOW_MS).unref();

module.exports = function permitLimiter(req, res, next) {
  const ip = (req.headers['x-forwarded-for'] || '').split(',')[0].trim() || req.socket.remoteAddress;
  const now = Date.now();

  let entry = hits.get(ip);
  if (!entry || entry.resetAt <= now) {
    entry = { count: 0, resetAt: now + WINDOW_MS };
    hits.set(ip, entry);
  }
  entry.count++;

  if (entry.count > MAX_PER_WINDOW) {
    res.set('Retry-After', String(Math.ceil((entry.resetAt - now) / 1000)));
    return res.status(429).json({ error: 'too many requests' });
  }
  next();
};
