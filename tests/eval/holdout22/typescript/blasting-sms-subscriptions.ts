// src/subscriptions.ts — SMS alerts for quarry blasting notices.
// Residents near a quarry subscribe with their phone number and confirm with
// a 6-digit code. Express on 3 pods behind one ALB; limiter state is in Redis.

import express, { Request, Response, NextFunction } from "express";
import { randomInt, createHash } from "node:crypto";
import { Pool } from "pg";
import Redis from "ioredis";
import { sendSms } from "./sms"; // Twilio client constructed with { timeout: 5000 }

const app = express();
app.set("trust proxy", 1); // exactly one hop: the ALB; req.ip is the address it saw
app.use(express.json({ limit: "8kb" }));

const pool = new Pool({ max: 10, connectionTimeoutMillis: 3000, statement_timeout: 5000 });
const redis = new Redis(process.env.REDIS_URL!, { connectTimeout: 5000, maxRetriesPerRequest: 2 });

const CODE_TTL_MINUTES = 15;

function limitPerHour(prefix: string, max: number) {
  return async (req: Request, res: Response, next: NextFunction) => {
    const key = `rl:${prefix}:${req.ip}:${Math.floor(Date.now() / 3_600_000)}`;
    try {
      const [[, hits]] = (await redis.multi().incr(key).expire(key, 3600).exec()) as [[null, number]];
      if (hits > max) return res.status(429).json({ error: "too many attempts, try later" });
      next();
    } catch (err) {
      next(err);
    }
  };
}

const hashCode = (code: string) => createHash("sha256").update(code).digest("hex");

app.post("/quarries/:quarryId/subscriptions", limitPerHour("subscribe", 5), async (req, res, next) => {
  const phone = String(req.body.phone ?? "").replace(/\s+/g, "");
  if (!/^\+44\d{10}$/.test(phone)) return res.status(400).json({ error: "UK mobile number required" });
  const code = String(randomInt(0, 1_000_000)).padStart(6, "0");
  try {
    await pool.query(
      `INSERT INTO sms_confirmations (quarry_id, phone, code_hash, expires_at)
       VALUES ($1, $2, $3, now() + make_interval(mins => $4))
       ON CONFLICT (quarry_id, phone) DO UPDATE
         SET code_hash = EXCLUDED.code_hash, expires_at = EXCLUDED.expires_at, attempts = 0`,
      [req.params.quarryId, phone, hashCode(code), CODE_TTL_MINUTES],
    );
    await sendSms(phone, `Your blasting-alert code is ${code}. It expires in ${CODE_TTL_MINUTES} minutes.`);
    res.status(202).json({ status: "code-sent" });
  } catch (err) {
    next(err);
  }
});

app.post("/quarries/:quarryId/subscriptions/confirm", limitPerHour("confirm", 20), async (req, res, next) => {
  try {
    const { rows } = await pool.query(
      `DELETE FROM sms_confirmations
        WHERE quarry_id = $1 AND phone = $2 AND code_hash = $3 AND expires_at > now()
        RETURNING phone`,
      [req.params.quarryId, req.body.phone, hashCode(String(req.body.code ?? ""))],
    );
    if (rows.length === 0) return res.status(400).json({ error: "code invalid or expired" });
    await pool.query(
      `INSERT INTO blasting_subscribers (quarry_id, phone) VALUES ($1, $2)
       ON CONFLICT (quarry_id, phone) DO NOTHING`,
      [req.params.quarryId, rows[0].phone],
    );
    res.status(201).json({ status: "subscribed" });
  } catch (err) {
    next(err);
  }
});

// Housekeeping: run by the k8s CronJob "purge-sms-codes" (*/10 * * * *), so
// unconfirmed codes that lapsed do not accumulate.
export async function purgeExpiredConfirmations(): Promise<number> {
  const { rowCount } = await pool.query(`DELETE FROM sms_confirmations WHERE expires_at < now()`);
  return rowCount ?? 0;
}

export default app;
