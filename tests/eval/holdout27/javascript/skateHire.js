// skate-hire/server.js
// Counter service for the Northgate ice rink: hire out skates by size, take them back.
// Small Express app; the till tablets call it over the LAN.

const express = require('express');
const { Client } = require('pg');

const app = express();
app.use(express.json());

async function openDb() {
  const client = new Client({
    connectionString: process.env.DATABASE_URL,
    connectionTimeoutMillis: 5000,
    statement_timeout: 5000,
  });
  await client.connect();
  return client;
}

function parseHire(body) {
  const size = Number(body.sizeEu);
  const qty = Number(body.qty ?? 1);
  if (!Number.isInteger(size) || size < 24 || size > 50) return null;
  if (!Number.isInteger(qty) || qty < 1 || qty > 8) return null;
  return { size, qty };
}

// POST /api/rinks/:rinkId/hire  { sizeEu, qty, sessionId }
app.post('/api/rinks/:rinkId/hire', async (req, res) => {
  const parsed = parseHire(req.body);
  if (!parsed) return res.status(400).json({ error: 'invalid size or quantity' });

  const db = await openDb();
  try {
    await db.query('BEGIN');
    const taken = await db.query(
      `UPDATE skate_stock
          SET pairs_available = pairs_available - $3
        WHERE rink_id = $1 AND size_eu = $2 AND pairs_available >= $3
        RETURNING pairs_available`,
      [req.params.rinkId, parsed.size, parsed.qty]
    );
    if (taken.rowCount === 0) {
      await db.query('ROLLBACK');
      return res.status(409).json({ error: `Not enough size ${parsed.size} skates left` });
    }
    const hire = await db.query(
      `INSERT INTO skate_hires (rink_id, size_eu, qty, session_id, hired_at)
       VALUES ($1, $2, $3, $4, now()) RETURNING id`,
      [req.params.rinkId, parsed.size, parsed.qty, req.body.sessionId]
    );
    await db.query('COMMIT');
    res.status(201).json({ hireId: hire.rows[0].id, left: taken.rows[0].pairs_available });
  } catch (err) {
    await db.query('ROLLBACK');
    console.error('hire failed', err);
    res.status(500).json({ error: 'could not record hire' });
  } finally {
    await db.end();
  }
});

// POST /api/rinks/:rinkId/returns  { sizeEu, qty }
app.post('/api/rinks/:rinkId/returns', async (req, res) => {
  const parsed = parseHire(req.body);
  if (!parsed) return res.status(400).json({ error: 'invalid size or quantity' });

  const db = await openDb();
  try {
    const current = await db.query(
      'SELECT pairs_available FROM skate_stock WHERE rink_id = $1 AND size_eu = $2',
      [req.params.rinkId, parsed.size]
    );
    if (current.rowCount === 0) return res.status(404).json({ error: 'unknown size' });

    // Returned pairs go straight back on the rack
    const pairs = current.rows[0].pairs_available + parsed.qty;
    await db.query(
      'UPDATE skate_stock SET pairs_available = $3, updated_at = now() WHERE rink_id = $1 AND size_eu = $2',
      [req.params.rinkId, parsed.size, pairs]
    );
    res.json({ sizeEu: parsed.size, pairsAvailable: pairs });
  } catch (err) {
    console.error('return failed', err);
    res.status(500).json({ error: 'could not record return' });
  } finally {
    await db.end();
  }
});

app.listen(process.env.PORT || 3040);
