// app/api/webhooks/box-office/route.ts
// The card reader provider calls this when a pantomime ticket hold is paid for at the
// village hall door. Providers retry on any non-2xx and sometimes deliver twice.
import { createHmac, timingSafeEqual } from "node:crypto";
import { NextRequest, NextResponse } from "next/server";
import { pool } from "@/lib/pg"; // shared pg.Pool for the app

export const runtime = "nodejs";

type PaymentEvent = {
  id: string;
  type: "payment.succeeded" | "payment.refunded";
  data: { holdRef: string; amountPence: number; hallId: number };
};

function signatureOk(raw: string, header: string | null): boolean {
  if (!header) return false;
  const expected = createHmac("sha256", process.env.BOX_OFFICE_WEBHOOK_SECRET!).update(raw).digest();
  const given = Buffer.from(header, "hex");
  return given.length === expected.length && timingSafeEqual(given, expected);
}

export async function POST(req: NextRequest) {
  const raw = await req.text();
  if (!signatureOk(raw, req.headers.get("x-boxoffice-signature"))) {
    return NextResponse.json({ error: "invalid signature" }, { status: 401 });
  }
  const event = JSON.parse(raw) as PaymentEvent;
  if (event.type !== "payment.succeeded") {
    return NextResponse.json({ ignored: event.type });
  }

  const client = await pool.connect();
  try {
    await client.query("BEGIN");
    // Record the event id first; a redelivery hits the primary key and stops here.
    const seen = await client.query(
      `INSERT INTO processed_webhook_events (provider, event_id, received_at)
       VALUES ('box-office', $1, now())
       ON CONFLICT (provider, event_id) DO NOTHING`,
      [event.id]
    );
    if (seen.rowCount === 0) {
      await client.query("ROLLBACK");
      return NextResponse.json({ duplicate: true });
    }

    const hold = await client.query(
      `UPDATE ticket_holds
          SET status = 'sold', paid_pence = $1, paid_at = now()
        WHERE hold_ref = $2 AND village_hall_id = $3 AND status = 'held'
        RETURNING performance_id, seats`,
      [event.data.amountPence, event.data.holdRef, event.data.hallId]
    );
    if (hold.rowCount === 1) {
      const { performance_id, seats } = hold.rows[0];
      await client.query(
        `UPDATE performances
            SET seats_held = seats_held - $1, seats_sold = seats_sold + $1
          WHERE id = $2 AND village_hall_id = $3`,
        [seats, performance_id, event.data.hallId]
      );
    } else {
      // Hold lapsed before payment landed: keep a record so the treasurer can refund or reseat.
      await client.query(
        `INSERT INTO late_payments (event_id, hold_ref, village_hall_id, amount_pence)
         VALUES ($1, $2, $3, $4)`,
        [event.id, event.data.holdRef, event.data.hallId, event.data.amountPence]
      );
    }
    await client.query("COMMIT");
    return NextResponse.json({ ok: true });
  } catch (err) {
    await client.query("ROLLBACK");
    console.error("box-office webhook failed", { eventId: event.id, err });
    throw err; // 500 -> provider retries later
  } finally {
    client.release();
  }
}
