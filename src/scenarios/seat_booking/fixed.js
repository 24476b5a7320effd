const express = require("express");
const { Pool } = require("pg");

const pool = new Pool();
const app = express();
const HOLD_MS = 10 * 60 * 1000;

app.post("/events/:eventId/seats/:seatId/hold", async (req, res) => {
  const { eventId, seatId } = req.params;
  const expires = new Date(Date.now() + HOLD_MS);
  // Check and write in one statement: only one request can flip 'free' to 'held'.
  const result = await pool.query(
    "UPDATE seats SET status = 'held', held_by = $1, hold_expires = $2 " +
      "WHERE event_id = $3 AND id = $4 AND status = 'free'",
    [req.user.id, expires, eventId, seatId]
  );
  if (result.rowCount === 0) {
    return res.status(409).json({ error: "Seat already taken" });
  }
  res.json({ seat: seatId, heldUntil: expires });
});
