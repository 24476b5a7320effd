// middleware/rateLimit.js
// Fixed-window limiter for the public quote + booking API so scrapers
// can't hammer /quotes. prod: `pm2 start ecosystem.config.js`
// (exec_mode: 'cluster', instances: 4)

const WINDOW_MS = 60 * 1000;
const MAX_PER_WINDOW = 30;

const counters = {};

// drop old windows every few minutes so the object doesn't grow forever
setInterval(() => {
  const now = Date.now();
  for (const key of Object.keys(counters)) {
    if (now - counters[key].start > WINDOW_MS) delete counters[key];
  }
}, 5 * 60 * 1000).unref();

function clientIp(req) {
  const fwd = req.headers['x-forwarded-for'];
  if (fwd) return fwd.split(',')[0].trim();
  return req.socket.remoteAddress;
}

module.exports = function rateLimit(req, res, next) {
  const ip = clientIp(req);
  const now = Date.now();

  let entry = counters[ip];
  if (!entry || now - entry.start > WINDOW_MS) {
    entry = counters[ip] = { start: now, count: 0 };
  }
  entry.count += 1;

  res.set('X-RateLimit-Limit', String(MAX_PER_WINDOW));
  res.set('X-RateLimit-Remaining', String(Math.max(0, MAX_PER_WINDOW - entry.count)));

  if (entry.count > MAX_PER_WINDOW) {
    return res.status(429).json({ error: 'Too many requests, slow down.' });
  }
  next();
};
