// is this ok for rate limiting the seed-library checkout API? we run it with `pm2 start app.js -i 4`
const WINDOW_MS = 60_000;
const MAX_CHECKOUTS = 10;
const hits = new Map(); // ip -> count in current window

setInterval(() => hits.clear(), WINDOW_MS).unref();

function checkoutLimiter(req, res, next) {
  const ip = (req.headers['x-forwarded-for'] || '').split(',')[0].trim() || req.socket.remoteAddress;
  const n = (hits.get(ip) || 0) + 1;
  hits.set(ip, n);
  if (n > MAX_CHECKOUTS) {
    return res.status(429).json({ error: 'Too many checkouts, slow down' });
  }
  next();

app.post('/packets/:id/checkout', checkoutLimiter, checkoutPacket);
