// webhooks/vestmentSupplier.ts
// The vestment supplier posts shipment events when robes we ordered are delivered to
// the cathedral. We add the delivered quantities to robe stock so the vestry can issue
// them. Supplier docs: "events are retried until we receive a 2xx, up to 48 hours".
import crypto from 'node:crypto';
import type { Request, Response } from 'express';
import { pool } from '../db';
import { logger } from '../logger';

interface ShipmentEvent {
  id: string;
  type: 'shipment.delivered' | 'shipment.dispatched' | 'shipment.cancelled';
  orderRef: string;
  lines: { supplierSku: string; quantity: number }[];
  deliveredAt: string;
}

interface RobeOrder {
  id: number;
  orderRef: string;
  requestedBy: string;
}

// orderRef -> order row; saves a lookup when the supplier splits an order into parcels.
const orderCache = new Map<string, RobeOrder>();

async function findOrder(orderRef: string): Promise<RobeOrder | null> {
  const cached = orderCache.get(orderRef);
  if (cached) return cached;
  const { rows } = await pool.query<RobeOrder>(
    'SELECT id, order_ref AS "orderRef", requested_by AS "requestedBy" FROM robe_orders WHERE order_ref = $1',
    [orderRef],
  );
  if (rows[0]) orderCache.set(orderRef, rows[0]);
  return rows[0] ?? null;
}

function validSignature(req: Request): boolean {
  const sig = req.header('x-supplier-signature') ?? '';
  const mac = crypto
    .createHmac('sha256', process.env.SUPPLIER_WEBHOOK_SECRET as string)
    .update(req.body as Buffer)
    .digest('hex');
  return sig.length === mac.length && crypto.timingSafeEqual(Buffer.from(sig), Buffer.from(mac));
}

// Mounted with express.raw({ type: 'application/json' }) so the signature sees the exact bytes.
export async function handleSupplierWebhook(req: Request, res: Response): Promise<void> {
  if (!validSignature(req)) {
    res.status(401).end();
    return;
  }
  const event = JSON.parse((req.body as Buffer).toString('utf8')) as ShipmentEvent;
  if (event.type !== 'shipment.delivered') {
    res.status(204).end();
    return;
  }

  const order = await findOrder(event.orderRef);
  if (!order) {
    logger.warn({ eventId: event.id, orderRef: event.orderRef }, 'delivery for unknown order');
    res.status(202).json({ ignored: true });
    return;
  }

  const client = await pool.connect();
  try {
    await client.query('BEGIN');
    // All lines in one statement: map supplier SKUs to our robe type/size and add the quantities.
    await client.query(
      `UPDATE robe_stock s
          SET available = s.available + d.qty, last_delivery_at = $3
         FROM (SELECT m.robe_type_id, m.size, sum(x.qty)::int AS qty
                 FROM unnest($1::text[], $2::int[]) AS x(sku, qty)
                 JOIN robe_sku_map m ON m.supplier_sku = x.sku
                GROUP BY m.robe_type_id, m.size) d
        WHERE s.robe_type_id = d.robe_type_id AND s.size = d.size`,
      [event.lines.map((l) => l.supplierSku), event.lines.map((l) => l.quantity), event.deliveredAt],
    );
    await client.query(
      "UPDATE robe_orders SET status = 'delivered', delivered_at = $2 WHERE id = $1",
      [order.id, event.deliveredAt],
    );
    await client.query('COMMIT');
    logger.info({ eventId: event.id, orderRef: order.orderRef, lines: event.lines.length }, 'robes delivered');
    res.status(200).json({ received: true });
  } catch (err) {
    await client.query('ROLLBACK');
    logger.error({ err, eventId: event.id }, 'supplier webhook failed');
    res.status(500).end();
  } finally {
    client.release();
  }
}
