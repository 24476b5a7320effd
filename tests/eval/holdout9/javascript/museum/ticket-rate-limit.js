// middleware/ticketRateLimit.js
// Protects the timed-entry ticket endpoints from scalper bots.
// Deploy: ecosystem.config.js -> instances: 4, exec_mode: 'cluster' (pm2), behind the ALB.

const WINDOW_MS = 60 * 1000;
const MAX_REQUESTS = 20;

const hits = new Map(); // ip -> { count, windowStart }

function clientIp(req) {
  const fwd = req.headers['x-forwarded-for'];
  return fwd ? fwd.split(',')[0].trim() : req.socket.remoteAddress;
}

function ticketRateLimit(req, res, next) {
  const ip = clientIp(req);
  const now = Date.now();
  let entry = hits.get(ip);

  if (!entry || now - entry.windowStart > WINDOW_MS) {
    entry = { count: 0, windowStart: now };
    hits.set(ip, entry);
  }
  entry.count += 1;

  res.set('X-RateLimit-Remaining', String(Math.max(0, MAX_REQUESTS - entry.count)));
  if (entry.count > MAX_REQUESTS) {
    return res.status(429).json({ error: 'Too many requests, please try again in a minute.' });
  }
  next();
}

// drop stale windows every 5 minutes so the map doesn't grow forever
setInterval(() => {
  const now = Date.now();
  for (const [ip, entry] of hits) {
    if (now - entry.windowStart > WINDOW_MS) hits.delete(ip);
  }
}, 5 * 60 * 1000).unref();

module.exports = { ticketRateLimit };

// app.js
// app.use('/api/tickets', ticketRateLimit, ticketsRouter);
