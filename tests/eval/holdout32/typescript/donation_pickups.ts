// routes/pickups.ts — charity shop furniture/donation pickups
// Deployed as the `pickups-api` Deployment (replicas: 3) behind the shop network's ingress.
import { Router, Request, Response, NextFunction } from "express";
import { randomInt } from "crypto";
import { db } from "../db";
import { smsClient } from "../sms";
import { requireStaff } from "../auth";

export const pickups = Router();

// vanId -> pickup request currently being loaded, so dispatch doesn't send one van to two addresses.
const vansOnJob = new Map<string, { requestId: string; driverId: string; since: number }>();

// Donor asks for a collection; we text a code to confirm the phone number first.
pickups.post("/shops/:shopId/pickups", async (req: Request, res: Response, next: NextFunction) => {
  const { shopId } = req.params;
  const { donorName, phone, address, items } = req.body;
  try {
    const { rows } = await db.query(
      `INSERT INTO pickup_requests (shop_id, donor_name, phone, address, items, status)
       VALUES ($1, $2, $3, $4, $5, 'unconfirmed') RETURNING id`,
      [shopId, donorName, phone, address, JSON.stringify(items)]
    );
    const requestId = rows[0].id;
    const code = String(randomInt(100000, 999999));
    await db.query(
      `INSERT INTO pickup_confirmation_codes (request_id, shop_id, code, expires_at)
       VALUES ($1, $2, $3, now() + interval '20 minutes')`,
      [requestId, shopId, code]
    );
    await smsClient.send(phone, `Your collection code is ${code}. It expires in 20 minutes.`);
    res.status(201).json({ requestId });
  } catch (err) {
    next(err);
  }
});

pickups.post("/shops/:shopId/pickups/:requestId/confirm", async (req: Request, res: Response, next: NextFunction) => {
  const { shopId, requestId } = req.params;
  try {
    const { rowCount } = await db.query(
      `UPDATE pickup_confirmation_codes
          SET used_at = now()
        WHERE request_id = $1 AND shop_id = $2 AND code = $3
          AND used_at IS NULL AND expires_at > now()`,
      [requestId, shopId, req.body.code]
    );
    if (rowCount === 0) return res.status(400).json({ error: "Code is wrong or has expired" });
    await db.query(
      `UPDATE pickup_requests SET status = 'confirmed' WHERE id = $1 AND shop_id = $2`,
      [requestId, shopId]
    );
    res.json({ status: "confirmed" });
  } catch (err) {
    next(err);
  }
});

// Dispatcher assigns a van to a confirmed request.
pickups.post("/shops/:shopId/vans/:vanId/dispatch", requireStaff, async (req: Request, res: Response, next: NextFunction) => {
  const { shopId, vanId } = req.params;
  const { requestId, driverId } = req.body;
  const busy = vansOnJob.get(vanId);
  if (busy) {
    return res.status(409).json({ error: `Van is out on request ${busy.requestId}` });
  }
  vansOnJob.set(vanId, { requestId, driverId, since: Date.now() });
  try {
    await db.query(
      `UPDATE pickup_requests SET status = 'dispatched', van_id = $1, driver_id = $2
        WHERE id = $3 AND shop_id = $4 AND status = 'confirmed'`,
      [vanId, driverId, requestId, shopId]
    );
    res.json({ vanId, requestId });
  } catch (err) {
    vansOnJob.delete(vanId);
    next(err);
  }
});

pickups.post("/shops/:shopId/vans/:vanId/returned", requireStaff, (req: Request, res: Response) => {
  vansOnJob.delete(req.params.vanId);
  res.json({ vanId: req.params.vanId, status: "available" });
});
