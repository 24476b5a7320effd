const express = require("express");
const { Pool } = require("pg");

const pool = new Pool();
const app = express();
const HOLD_MS = 10 * 60 * 1000;

app.post("/events/:eventId/seats/:seatId/hold", async (req, res) => {
  const { eventId, seatId } = req.params;
  const { rows } = await pool.query(
    "SELECT status FROM seats WHERE event_id = $1 AND id = $2",
    [eventId, seatId]
  );
  if (rows.length === 0 || rows[0].status !== "free") {
    return res.status(409).json({ error: "Seat already taken" });
  }
  const expires = new Date(Date.now() + HOLD_MS);
  await pool.query(
    "UPDATE seats SET status = 'held', held_by = $1, hold_expires = $2 WHERE event_id = $3 AND id = $4",
    [req.user.id, expires, eventId, seatId]
  );
  res.json({ seat: seatId, heldUntil: expires });
});
