// deploy: 3 replicas behind the load balancer
import express, { NextFunction, Request, Response } from "express";
import { login } from "./auth";

const app = express();
app.use(express.json());

const WINDOW_MS = 60_000;
const MAX_ATTEMPTS = 10;

// Sliding window: timestamps of recent login attempts per account.
const attempts = new Map<string, number[]>();

function loginLimiter(req: Request, res: Response, next: NextFunction) {
  const key = String(req.body.email ?? "").toLowerCase();
  const now = Date.now();
  const recent = (attempts.get(key) ?? []).filter((t) => now - t < WINDOW_MS);
  if (recent.length >= MAX_ATTEMPTS) {
    return res.status(429).json({ error: "Too many login attempts, try again later" });
  }
  recent.push(now);
  attempts.set(key, recent);
  next();
}

app.post("/auth/login", loginLimiter, async (req, res) => {
  const session = await login(req.body.email, req.body.password);
  if (!session) {
    return res.status(401).json({ error: "Invalid email or password" });
  }
  res.json(session);
});
