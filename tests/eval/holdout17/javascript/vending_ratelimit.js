// middleware/telemetryLimiter.js
// Vending machines POST telemetry (temps, coin box level, sold-out slots) every 60s.
// Some old firmware builds get stuck in a loop and spam us, so cap each machine at 30 req/min.
//
// Deploy: pm2 cluster mode, ecosystem.config.js -> instances: 4, on 2 VMs behind the HAProxy pair.

const WINDOW_MS = 60 * 1000;
const MAX_PER_WINDOW = 30;

const hits = new Map(); // key -> { count, windowStart }

// sweep old windows so the map doesn't grow forever
setInterval(() => {
  const now = Date.now();
  for (const [key, entry] of hits) {
    if (now - entry.windowStart > WINDOW_MS) hits.delete(key);
  }
}, WINDOW_MS).unref();

function clientKey(req) {
  // machines sit behind the mobile carrier's NAT, HAProxy appends X-Forwarded-For
  const fwd = req.headers['x-forwarded-for'];
  if (fwd) return fwd.split(',')[0].trim();
  return req.socket.remoteAddress;
}

function telemetryLimiter(req, res, next) {
  const key = clientKey(req);
  const now = Date.now();
  let entry = hits.get(key);
  if (!entry || now - entry.windowStart > WINDOW_MS) {
    entry = { count: 0, windowStart: now };
    hits.set(key, entry);
  }
  entry.count += 1;
  if (entry.count > MAX_PER_WINDOW) {
    res.set('Retry-After', String(Math.ceil((entry.windowStart + WINDOW_MS - now) / 1000)));
    return res.status(429).json({ error: 'too many telemetry posts' });
  }
  next();
}

module.exports = telemetryLimiter;

// app.js
// app.post('/v1/machines/:machineId/telemetry', requireMachineToken, telemetryLimiter, telemetryController.ingest);
