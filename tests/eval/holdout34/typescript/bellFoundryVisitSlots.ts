// src/visits/bellFoundryVisitSlots.ts
// Bell foundry visit bookings: a visitor picks a tour slot, we hold it for
// ten minutes while they fill in the group details, then confirm.
// Runs on the shared Node cluster: 4 replicas behind the load balancer.

import express from "express";
import axios from "axios";
import { pool } from "../db/pool";
import { logger } from "../logger";

interface SlotHold {
  visitorToken: string;
  groupSize: number;
  expiresAt: number;
}

const HOLD_MS = 10 * 60 * 1000;

const heldSlots = new Map<string, SlotHold>();

// Sweep lapsed holds once a minute.
setInterval(() => {
  const now = Date.now();
  for (const [slotId, hold] of heldSlots) {
    if (hold.expiresAt <= now) heldSlots.delete(slotId);
  }
}, 60_000).unref();

const sms = axios.create({
  baseURL: process.env.SMS_GATEWAY_URL,
  timeout: 4000,
  headers: { "X-Api-Key": process.env.SMS_GATEWAY_KEY ?? "" },
});

export const visitSlotsRouter = express.Router();

visitSlotsRouter.post("/slots/:slotId/hold", async (req, res) => {
  const { slotId } = req.params;
  const { visitorToken, groupSize } = req.body as { visitorToken: string; groupSize: number };

  const existing = heldSlots.get(slotId);
  if (existing && existing.expiresAt > Date.now() && existing.visitorToken !== visitorToken) {
    return res.status(409).json({ error: "Someone else is booking this tour slot - try another time" });
  }

  heldSlots.set(slotId, { visitorToken, groupSize, expiresAt: Date.now() + HOLD_MS });
  return res.status(201).json({ slotId, heldUntil: new Date(Date.now() + HOLD_MS).toISOString() });
});

async function sendConfirmationText(phone: string, message: string): Promise<void> {
  let attempts = 0;
  while (attempts < 5) {
    try {
      await sms.post("/messages", { to: phone, body: message });
      return;
    } catch (err) {
      attempts += 1;
      logger.warn({ err, attempts }, "sms gateway error, retrying");
    }
  }
  logger.error({ phone }, "confirmation text not sent after 5 attempts");
}

visitSlotsRouter.post("/slots/:slotId/confirm", async (req, res, next) => {
  const { slotId } = req.params;
  const { visitorToken, leaderName, phone } = req.body as {
    visitorToken: string;
    leaderName: string;
    phone: string;
  };

  const hold = heldSlots.get(slotId);
  if (!hold || hold.visitorToken !== visitorToken || hold.expiresAt < Date.now()) {
    return res.status(410).json({ error: "Your hold on this slot has lapsed" });
  }

  try {
    // unique (slot_id) on foundry_visits: a slot can only be confirmed once
    const { rows } = await pool.query(
      `INSERT INTO foundry_visits (slot_id, leader_name, phone, group_size)
       VALUES ($1, $2, $3, $4)
       ON CONFLICT (slot_id) DO NOTHING
       RETURNING id`,
      [slotId, leaderName, phone, hold.groupSize]
    );
    heldSlots.delete(slotId);
    if (rows.length === 0) {
      return res.status(409).json({ error: "This slot has just been booked" });
    }

    await sendConfirmationText(phone, `Your bell foundry tour is booked (ref ${rows[0].id}). Sturdy shoes please!`);
    return res.status(201).json({ visitId: rows[0].id });
  } catch (err) {
    return next(err);
  }
});
