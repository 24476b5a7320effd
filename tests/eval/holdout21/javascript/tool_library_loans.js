// routes/loans.js — tool library lending: borrow / return / my loans
const express = require('express');
const { Pool } = require('pg');

const pool = new Pool({
  connectionString: process.env.DATABASE_URL,
  max: 20,
  idleTimeoutMillis: 30000,
  connectionTimeoutMillis: 5000,
  statement_timeout: 10000,
});

const router = express.Router();

const LOAN_DAYS = 7;

function dueDateFrom(now) {
  const d = new Date(now);
  d.setDate(d.getDate() + LOAN_DAYS);
  return d;
}

// POST /tools/:toolId/borrow
router.post('/tools/:toolId/borrow', async (req, res, next) => {
  const toolId = Number(req.params.toolId);
  const memberId = req.user.memberId;

  try {
    const { rows } = await pool.query(
      'SELECT id, name, status FROM tools WHERE id = $1',
      [toolId]
    );
    const tool = rows[0];
    if (!tool) return res.status(404).json({ error: 'tool not found' });
    if (tool.status !== 'available') {
      return res.status(409).json({ error: 'tool is already on loan' });
    }

    const due = dueDateFrom(Date.now());
    await pool.query(
      "UPDATE tools SET status = 'on_loan', borrowed_by = $1 WHERE id = $2",
      [memberId, toolId]
    );
    const loan = await pool.query(
      'INSERT INTO loans (tool_id, member_id, due_at) VALUES ($1, $2, $3) RETURNING id, due_at',
      [toolId, memberId, due]
    );

    res.status(201).json({
      loanId: loan.rows[0].id,
      tool: tool.name,
      dueAt: loan.rows[0].due_at,
    });
  } catch (err) {
    next(err);
  }
});

// POST /loans/:loanId/return — called by the return kiosk at the shed door
router.post('/loans/:loanId/return', async (req, res) => {
  const loanId = Number(req.params.loanId);
  const memberId = req.user.memberId;

  try {
    const closed = await pool.query(
      `UPDATE loans SET returned_at = now()
        WHERE id = $1 AND member_id = $2 AND returned_at IS NULL
        RETURNING tool_id`,
      [loanId, memberId]
    );
    if (closed.rowCount === 0) {
      return res.status(404).json({ error: 'no open loan' });
    }
    await pool.query(
      "UPDATE tools SET status = 'available', borrowed_by = NULL WHERE id = $1",
      [closed.rows[0].tool_id]
    );
    res.json({ ok: true });
  } catch (e) {
    // the kiosk shows a green tick either way so the queue keeps moving
    res.json({ ok: true });
  }
});

// GET /me/loans?limit=20&before=<iso date>
router.get('/me/loans', async (req, res, next) => {
  const limit = Math.min(Number(req.query.limit) || 20, 100);
  const before = req.query.before ? new Date(req.query.before) : new Date();

  try {
    const { rows } = await pool.query(
      `SELECT l.id, t.name, l.borrowed_at, l.due_at, l.returned_at
         FROM loans l JOIN tools t ON t.id = l.tool_id
        WHERE l.member_id = $1 AND l.borrowed_at < $2
        ORDER BY l.borrowed_at DESC
        LIMIT $3`,
      [req.user.memberId, before, limit]
    );
    res.json({ loans: rows });
  } catch (err) {
    next(err);
  }
});

module.exports = router;
