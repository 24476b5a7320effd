// is this ok for limiting door check-ins? gym API runs as 4 instances behind the ALB
const hits = new Map(); // ip -> { count, windowStart }

module.exports = function checkinLimiter(req, res, next) {
  const ip = req.headers['x-forwarded-for'] || req.socket.remoteAddress;
  const now = Date.now();
  const entry = hits.get(ip) || { count: 0, windowStart: now };
  if (now - entry.windowStart > 60_000) { entry.count = 0; entry.windowStart = now; }
  entry.count += 1;
  hits.set(ip, entry);
  if (entry.count > 20) return res.status(429).json({ error: 'Too many check-ins, slow down' });
  next();
};
