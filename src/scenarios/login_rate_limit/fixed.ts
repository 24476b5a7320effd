// deploy: 3 replicas behind the load balancer
import express, { NextFunction, Request, Response } from "express";
import Redis from "ioredis";
import { randomUUID } from "node:crypto";
import { login } from "./auth";

const app = express();
app.use(express.json());
const redis = new Redis(process.env.REDIS_URL!);

const WINDOW_MS = 60_000;
const MAX_ATTEMPTS = 10;

// Sliding window in Redis: every replica counts the same attempts.
async function loginLimiter(req: Request, res: Response, next: NextFunction) {
  const key = `login-attempts:${String(req.body.email ?? "").toLowerCase()}`;
  const now = Date.now();
  const results = await redis
    .multi()
    .zremrangebyscore(key, 0, now - WINDOW_MS)
    .zadd(key, now, `${now}:${randomUUID()}`)
    .zcard(key)
    .pexpire(key, WINDOW_MS)
    .exec();
  const count = Number(results?.[2]?.[1] ?? 0);
  if (count > MAX_ATTEMPTS) {
    return res.status(429).json({ error: "Too many login attempts, try again later" });
  }
  next();
}

app.post("/auth/login", loginLimiter, async (req, res) => {
  const session = await login(req.body.email, req.body.password);
  if (!session) {
    return res.status(401).json({ error: "Invalid email or password" });
  }
  res.json(session);
});
