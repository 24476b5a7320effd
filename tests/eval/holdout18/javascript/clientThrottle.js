// middleware/holdThrottle.js
// booking-api: `pm2 start server.js -i 4` on both app VMs, nginx in front.
// Limits how many room holds a single client can place per minute so bots
// can't lock every Saturday slot across the franchise.

const WINDOW_MS = 60 * 1000;
const MAX_HOLDS_PER_WINDOW = 5;

const holdBuckets = {};

function clientKey(req) {
  const fwd = req.headers['x-forwarded-for'];
  if (fwd) return fwd.split(',')[0].trim();
  return req.socket.remoteAddress;
}

function holdThrottle(req, res, next) {
  const key = clientKey(req);
  const now = Date.now();

  let bucket = holdBuckets[key];
  if (!bucket || now - bucket.start > WINDOW_MS) {
    bucket = holdBuckets[key] = { start: now, count: 0 };
  }
  bucket.count += 1;

  if (bucket.count > MAX_HOLDS_PER_WINDOW) {
    const retry = Math.ceil((bucket.start + WINDOW_MS - now) / 1000);
    res.set('Retry-After', String(retry));
    return res.status(429).json({ error: 'Too many holds, slow down.' });
  }
  next();
}

// sweep stale buckets so the object doesn't grow forever
setInterval(() => {
  const cutoff = Date.now() - WINDOW_MS;
  for (const k of Object.keys(holdBuckets)) {
    if (holdBuckets[k].start < cutoff) delete holdBuckets[k];
  }
}, WINDOW_MS).unref();

module.exports = { holdThrottle };
