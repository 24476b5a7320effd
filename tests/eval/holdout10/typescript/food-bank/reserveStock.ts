// You're right — the original version read `quantity` into JS, subtracted the
// requested amount and wrote it back, so two volunteers packing boxes at the
// same time could both "take" the last crates of rice. Here's the fixed version:
// the check and the decrement now happen in a single conditional UPDATE, and we
// look at rowCount to know whether the reservation succeeded.

import type { Request, Response, NextFunction } from 'express';
import { pool } from '../db'; // shared pg Pool
import { logger } from '../logger';

const WAREHOUSE_API = process.env.WAREHOUSE_API_URL!;

interface ReserveBody {
  itemId: number;
  quantity: number;
  distributionId: number;
}

export async function reserveStock(req: Request, res: Response, next: NextFunction) {
  const { itemId, quantity, distributionId } = req.body as ReserveBody;
  if (!Number.isInteger(quantity) || quantity <= 0) {
    return res.status(400).json({ error: 'quantity must be a positive integer' });
  }

  try {
    const result = await pool.query(
      `UPDATE inventory_items
          SET quantity = quantity - $1, updated_at = now()
        WHERE id = $2 AND food_bank_id = $3 AND quantity >= $1
        RETURNING quantity`,
      [quantity, itemId, req.user.foodBankId],
    );

    if (result.rowCount === 0) {
      return res.status(409).json({ error: 'Not enough stock left for this item' });
    }

    await pool.query(
      `INSERT INTO reservations (food_bank_id, distribution_id, item_id, quantity, reserved_by)
       VALUES ($1, $2, $3, $4, $5)`,
      [req.user.foodBankId, distributionId, itemId, quantity, req.user.id],
    );

    const remaining = result.rows[0].quantity as number;
    if (remaining < 20) {
      await notifyWarehouse(req.user.foodBankId, itemId, remaining);
    }

    res.status(201).json({ remaining });
  } catch (err) {
    logger.error({ err, itemId }, 'reserveStock failed');
    next(err);
  }
}

// Lets the warehouse team know an item is running low so they can restock.
async function notifyWarehouse(foodBankId: number, itemId: number, remaining: number) {
  const res = await fetch(`${WAREHOUSE_API}/low-stock`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ foodBankId, itemId, remaining }),
  });
  if (!res.ok) {
    logger.warn({ status: res.status, itemId }, 'warehouse notification failed');
  }
}

// What changed:
// - No more read-then-write: Postgres evaluates `quantity >= $1` and the
//   decrement atomically on the row, so stock can never go negative.
// - rowCount === 0 means someone else got there first -> 409.
// - Everything stays scoped to the caller's food bank.
