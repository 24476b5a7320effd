import express from "express";
import Redis from "ioredis";
import { Pool } from "pg";
import { requireAuth } from "./auth";

const app = express();
const redis = new Redis(process.env.REDIS_URL!);
const db = new Pool();
const inflight = new Map<string, Promise<unknown[]>>();

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
  // The numbers are the same for every user: one entry per metric, shared by all.
  const cacheKey = `dashboard:${req.params.metric}`;
  const cached = await redis.get(cacheKey);
  if (cached) {
    return res.json(JSON.parse(cached));
  }
  // When the entry expires, one request recomputes it; the others await the same promise.
  let pending = inflight.get(cacheKey);
  if (!pending) {
    pending = (async () => {
      const { rows } = await db.query(sql);
      await redis.set(cacheKey, JSON.stringify(rows), "EX", 900);
      return rows;
    })().finally(() => inflight.delete(cacheKey));
    inflight.set(cacheKey, pending);
  }
  res.json(await pending);
});
