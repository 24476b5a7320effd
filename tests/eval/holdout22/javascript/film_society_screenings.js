// routes/screenings.js — multi-society film club platform.
// Every society is a tenant; req.society is set by the auth middleware from
// the signed session (stored in Redis via connect-redis, 3 app pods).

const express = require("express");
const { Pool } = require("pg");

const pool = new Pool({
  connectionString: process.env.DATABASE_URL,
  max: 15,
  idleTimeoutMillis: 30_000,
  connectionTimeoutMillis: 2_000,
  statement_timeout: 4_000,
});

const router = express.Router();

router.get("/screenings", async (req, res, next) => {
  const limit = Math.min(Number(req.query.limit) || 20, 50);
  const before = req.query.before ? new Date(req.query.before) : new Date("9999-12-31");
  try {
    const { rows } = await pool.query(
      `SELECT id, title, director, screens_at, seats, seats_taken
         FROM screenings
        WHERE society_id = $1 AND screens_at < $2
        ORDER BY screens_at DESC
        LIMIT $3`,
      [req.society.id, before, limit]
    );
    res.json({
      screenings: rows,
      next: rows.length === limit ? rows[rows.length - 1].screens_at : null,
    });
  } catch (err) {
    next(err);
  }
});

// Season summary for the committee dashboard. screening_season_stats is a
// materialized view refreshed nightly (REFRESH MATERIALIZED VIEW CONCURRENTLY
// in the 03:00 cron), so this is an indexed lookup, not an aggregate.
router.get("/dashboard/season", async (req, res, next) => {
  try {
    const { rows } = await pool.query(
      `SELECT season, screenings, total_attendance, avg_fill_ratio, top_title, refreshed_at
         FROM screening_season_stats
        WHERE society_id = $1
        ORDER BY season DESC
        LIMIT 5`,
      [req.society.id]
    );
    res.json({ seasons: rows });
  } catch (err) {
    next(err);
  }
});

// Member reserves a seat. The (screening_id, member_id) unique key makes a
// double tap harmless; the conditional UPDATE never oversells the room.
router.post("/screenings/:id/rsvp", async (req, res, next) => {
  const client = await pool.connect();
  try {
    await client.query("BEGIN");
    const ins = await client.query(
      `INSERT INTO screening_rsvps (society_id, screening_id, member_id)
       SELECT s.society_id, s.id, $3 FROM screenings s WHERE s.id = $1 AND s.society_id = $2
       ON CONFLICT (screening_id, member_id) DO NOTHING`,
      [req.params.id, req.society.id, req.member.id]
    );
    if (ins.rowCount === 0) {
      await client.query("ROLLBACK");
      return res.status(200).json({ status: "already-reserved-or-unknown" });
    }
    const upd = await client.query(
      `UPDATE screenings SET seats_taken = seats_taken + 1
        WHERE id = $1 AND society_id = $2 AND seats_taken < seats`,
      [req.params.id, req.society.id]
    );
    if (upd.rowCount === 0) {
      await client.query("ROLLBACK");
      return res.status(409).json({ status: "full" });
    }
    await client.query("COMMIT");
    res.status(201).json({ status: "reserved" });
  } catch (err) {
    await client.query("ROLLBACK").catch((rbErr) => req.log.error({ err: rbErr }, "rollback failed"));
    next(err);
  } finally {
    client.release();
  }
});

module.exports = router;
