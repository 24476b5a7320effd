// src/ridealong/reports.ts
// Civilian ride-along program: officers file a short report after each ride-along.
// Deployed behind nginx (proxy_read_timeout 30s) on the county's app server.
import express, { Request, Response, NextFunction } from 'express';
import { Client } from 'pg';
import PDFDocument from 'pdfkit';
import { requireRole } from '../auth';

const router = express.Router();

async function getDb(): Promise<Client> {
  const client = new Client({
    host: process.env.PGHOST,
    database: 'ridealong',
    user: process.env.PGUSER,
    password: process.env.PGPASSWORD,
    statement_timeout: 15000,
  });
  await client.connect();
  return client;
}

const wrap = (fn: (req: Request, res: Response) => Promise<unknown>) =>
  (req: Request, res: Response, next: NextFunction) => fn(req, res).catch(next);

router.get('/reports/:id', requireRole('supervisor', 'officer'), wrap(async (req, res) => {
  const db = await getDb();
  try {
    const { rows } = await db.query(
      `SELECT r.id, r.shift_date, r.precinct, r.narrative, r.incidents, o.badge_no, c.full_name AS civilian
         FROM ride_reports r
         JOIN officers o ON o.id = r.officer_id
         JOIN civilians c ON c.id = r.civilian_id
        WHERE r.id = $1`,
      [req.params.id]
    );
    if (!rows.length) return res.sendStatus(404);
    res.json(rows[0]);
  } finally {
    await db.end();
  }
}));

router.post('/reports', requireRole('officer'), wrap(async (req, res) => {
  const { civilianId, shiftDate, precinct, narrative, incidents } = req.body;
  const db = await getDb();
  try {
    const { rows } = await db.query(
      `INSERT INTO ride_reports (officer_id, civilian_id, shift_date, precinct, narrative, incidents)
       VALUES ($1, $2, $3, $4, $5, $6) RETURNING id`,
      [req.user!.officerId, civilianId, shiftDate, precinct, narrative, JSON.stringify(incidents ?? [])]
    );
    res.status(201).json({ id: rows[0].id });
  } finally {
    await db.end();
  }
}));

// Annual program review: one PDF with every report for a precinct and year
// (a busy precinct files 4-6k reports a year, each with the full narrative + incident list).
router.get('/precincts/:precinct/annual.pdf', requireRole('supervisor'), wrap(async (req, res) => {
  const year = Number(req.query.year) || new Date().getFullYear();
  const db = await getDb();
  try {
    const { rows } = await db.query(
      `SELECT r.id, r.shift_date, r.narrative, r.incidents, o.badge_no, c.full_name AS civilian
         FROM ride_reports r
         JOIN officers o ON o.id = r.officer_id
         JOIN civilians c ON c.id = r.civilian_id
        WHERE r.precinct = $1 AND date_part('year', r.shift_date) = $2
        ORDER BY r.shift_date`,
      [req.params.precinct, year]
    );

    res.setHeader('Content-Type', 'application/pdf');
    const doc = new PDFDocument({ size: 'LETTER', margin: 54 });
    doc.pipe(res);
    doc.fontSize(18).text(`Ride-along reports – Precinct ${req.params.precinct}, ${year}`);
    for (const r of rows) {
      doc.addPage();
      doc.fontSize(12).text(`Report #${r.id} — ${r.shift_date.toDateString()} — Officer ${r.badge_no}`);
      doc.fontSize(10).text(`Civilian: ${r.civilian}`).moveDown();
      doc.text(r.narrative, { align: 'justify' }).moveDown();
      for (const inc of r.incidents as Array<{ time: string; code: string; summary: string }>) {
        doc.text(`${inc.time}  [${inc.code}]  ${inc.summary}`);
      }
    }
    doc.end();
  } finally {
    await db.end();
  }
}));

export default router;
