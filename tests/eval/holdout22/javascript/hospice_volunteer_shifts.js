// Hospice volunteer rota — sign-up and withdrawal handlers.
// Express app runs on 4 pods; sessions and the SMS limiter live in Redis.

const knex = require("../db/knex"); // pooled: min 2, max 20, acquireConnectionTimeout 5000
const redis = require("../redis");   // shared ioredis client
const sms = require("../sms");       // axios instance created with timeout: 5000

const SMS_PER_VOLUNTEER_PER_HOUR = 5;

class ShiftFullError extends Error {}

async function allowSms(volunteerId) {
  const key = `sms-quota:${volunteerId}:${new Date().toISOString().slice(0, 13)}`;
  const [[, count]] = await redis.multi().incr(key).expire(key, 3600).exec();
  return count <= SMS_PER_VOLUNTEER_PER_HOUR;
}

// POST /hospices/:hospiceId/shifts/:shiftId/signup
async function signUp(req, res, next) {
  const hospiceId = req.params.hospiceId;
  const shiftId = Number(req.params.shiftId);
  const volunteerId = req.session.volunteerId;

  if (!req.session.hospiceIds?.includes(hospiceId)) {
    return res.status(403).json({ error: "not a volunteer at this hospice" });
  }

  try {
    const outcome = await knex.transaction(async (trx) => {
      const inserted = await trx("shift_signups")
        .insert({ hospice_id: hospiceId, shift_id: shiftId, volunteer_id: volunteerId })
        .onConflict(["shift_id", "volunteer_id"])
        .ignore()
        .returning("id");
      if (inserted.length === 0) return "ALREADY_SIGNED_UP";

      // Conditional increment: the row only changes while there is room.
      const updated = await trx("shifts")
        .where({ id: shiftId, hospice_id: hospiceId })
        .andWhere("filled", "<", knex.ref("needed"))
        .increment("filled", 1);
      if (updated === 0) throw new ShiftFullError(); // rolls the insert back
      return "OK";
    });

    if (outcome === "OK" && (await allowSms(volunteerId))) {
      await sms.post("/messages", {
        to: req.session.phone,
        text: `Thanks! You're on the rota for shift ${shiftId}.`,
      });
    }
    res.status(outcome === "OK" ? 201 : 200).json({ status: outcome });
  } catch (err) {
    if (err instanceof ShiftFullError) return res.status(409).json({ error: "shift is full" });
    next(err);
  }
}

// DELETE /hospices/:hospiceId/shifts/:shiftId/signup
async function withdraw(req, res, next) {
  const hospiceId = req.params.hospiceId;
  const shiftId = Number(req.params.shiftId);
  try {
    await knex.transaction(async (trx) => {
      const removed = await trx("shift_signups")
        .where({ hospice_id: hospiceId, shift_id: shiftId, volunteer_id: req.session.volunteerId })
        .del();
      if (removed === 1) {
        await trx("shifts")
          .where({ id: shiftId, hospice_id: hospiceId })
          .andWhere("filled", ">", 0)
          .decrement("filled", 1);
      }
    });
    res.status(204).end();
  } catch (err) {
    next(err);
  }
}

module.exports = { signUp, withdraw };
