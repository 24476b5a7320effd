const express = require("express");
const rateLimit = require("express-rate-limit");
const { RedisStore } = require("rate-limit-redis");
const { createClient } = require("redis");

const redis = createClient({ url: process.env.REDIS_URL });
redis.connect();

const app = express();
app.use(express.json());
// Exactly one proxy (the load balancer) sits in front: req.ip is the address it saw.
app.set("trust proxy", 1);

// Five login attempts per minute per client address, shared by every replica through Redis.
const loginLimiter = rateLimit({
  windowMs: 60 * 1000,
  limit: 5,
  store: new RedisStore({ sendCommand: (...args) => redis.sendCommand(args) }),
  message: { error: "Too many login attempts, try again in a minute" },
});

app.post("/api/login", loginLimiter, async (req, res) => {
  const user = await users.verifyPassword(req.body.email, req.body.password);
  if (!user) return res.status(401).json({ error: "Invalid email or password" });
  res.json({ token: sessions.issue(user) });
});

app.listen(3000);
