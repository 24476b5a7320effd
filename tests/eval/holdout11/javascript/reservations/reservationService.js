/**
 * Reservation booking service for the restaurant floor.
 *
 * Every booking runs in a single transaction that locks the table-slot row
 * (SELECT ... FOR UPDATE) so two guests can never grab the last seats of a slot.
 * The pool is shared and created once in ../db.
 */
'use strict';

const { pool } = require('../db');
const logger = require('../logger');

class SlotUnavailableError extends Error {
  constructor(message) {
    super(message);
    this.name = 'SlotUnavailableError';
  }
}

async function bookTable({ restaurantId, slotId, guestId, partySize }) {
  const client = await pool.connect();
  try {
    await client.query('BEGIN');

    const { rows } = await client.query(
      `SELECT id, seats_left
         FROM table_slots
        WHERE id = $1 AND restaurant_id = $2
        FOR UPDATE`,
      [slotId, restaurantId]
    );
    const slot = rows[0];
    if (!slot || slot.seats_left < partySize) {
      throw new SlotUnavailableError('slot is full');
    }

    await client.query(
      'UPDATE table_slots SET seats_left = seats_left - $1 WHERE id = $2 AND restaurant_id = $3',
      [partySize, slotId, restaurantId]
    );

    const inserted = await client.query(
      `INSERT INTO reservations (restaurant_id, slot_id, guest_id, party_size, status)
       VALUES ($1, $2, $3, $4, 'confirmed')
       RETURNING id`,
      [restaurantId, slotId, guestId, partySize]
    );

    await client.query('COMMIT');
    return inserted.rows[0].id;
  } catch (err) {
    await client.query('ROLLBACK');
    if (err instanceof SlotUnavailableError) throw err;
    if (err.code === '23505') {
      // uq_reservations_guest_slot: this guest already holds the slot
      throw new SlotUnavailableError('already booked');
    }
    logger.error({ err, restaurantId, slotId, guestId }, 'bookTable failed');
    throw err;
  } finally {
    client.release();
  }
}

async function cancelReservation({ restaurantId, reservationId, guestId }) {
  // cancel and give the seats back in one statement
  const { rowCount } = await pool.query(
    `WITH cancelled AS (
        UPDATE reservations
           SET status = 'cancelled', cancelled_at = now()
         WHERE id = $1 AND restaurant_id = $2 AND guest_id = $3 AND status = 'confirmed'
     RETURNING slot_id, party_size
     )
     UPDATE table_slots s
        SET seats_left = s.seats_left + c.party_size
       FROM cancelled c
      WHERE s.id = c.slot_id AND s.restaurant_id = $2`,
    [reservationId, restaurantId, guestId]
  );
  return rowCount === 1;
}

async function listGuestReservations({ restaurantId, guestId, before = null, limit = 20 }) {
  const { rows } = await pool.query(
    `SELECT r.id, r.party_size, r.status, s.starts_at
       FROM reservations r
       JOIN table_slots s ON s.id = r.slot_id
      WHERE r.restaurant_id = $1 AND r.guest_id = $2
        AND ($3::timestamptz IS NULL OR s.starts_at < $3)
      ORDER BY s.starts_at DESC
      LIMIT $4`,
    [restaurantId, guestId, before, Math.min(limit, 100)]
  );
  return rows;
}

module.exports = { bookTable, cancelReservation, listGuestReservations, SlotUnavailableError };
