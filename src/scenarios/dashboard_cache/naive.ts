import express from "express";
import Redis from "ioredis";
import { Pool } from "pg";
import { requireAuth } from "./auth";

const app = express();
const redis = new Redis(process.env.REDIS_URL!);
const db = new Pool();

const METRIC_SQL: Record<string, string> = {
  revenueTrend:
    "SELECT date_trunc('month', paid_at) AS month, sum(amount) AS value FROM payments GROUP BY 1 ORDER BY 1",
  signupsTrend:
    "SELECT date_trunc('month', created_at) AS month, count(*) AS value FROM accounts GROUP BY 1 ORDER BY 1",
};

app.get("/api/dashboard/metrics/:metric", requireAuth, async (req, res) => {
  const sql = METRIC_SQL[req.params.metric];
  if (!sql) {
    return res.status(404).json({ error: "Unknown metric" });
  }
  const cacheKey = `dashboard:${req.user.id}:${req.params.metric}`;
  const cached = await redis.get(cacheKey);
  if (cached) {
    return res.json(JSON.parse(cached));
  }
  const { rows } = await db.query(sql);
  await redis.set(cacheKey, JSON.stringify(rows), "EX", 900);
  res.json(rows);
});
