// src/routes/meteoriteReports.ts
// Public meteorite find reports: members of the public submit a suspected
// find with coordinates and photos; the society's curators review them and
// publish an annual PDF gazetteer.
import { Router, Request, Response, NextFunction } from 'express';
import { Client } from 'pg';
import puppeteer from 'puppeteer';
import { renderReportPage } from '../templates/gazetteer';
import { uploadToBucket } from '../lib/storage';
import { mergePdfs } from '../lib/pdf';

export const router = Router();

async function withDb<T>(fn: (db: Client) => Promise<T>): Promise<T> {
  const db = new Client({ connectionString: process.env.DATABASE_URL });
  await db.connect();
  try {
    return await fn(db);
  } finally {
    await db.end();
  }
}

interface ReportBody {
  finderName: string;
  email: string;
  lat: number;
  lon: number;
  massGrams?: number;
  description: string;
  photoKeys: string[];
}

async function nearestPlaceName(lat: number, lon: number): Promise<string | null> {
  const url = `https://geocode.example-maps.org/v1/reverse?lat=${lat}&lon=${lon}&zoom=14`;
  const res = await fetch(url, { headers: { 'User-Agent': 'meteorite-society/1.0' } });
  if (!res.ok) return null;
  const body = (await res.json()) as { display_name?: string };
  return body.display_name ?? null;
}

router.post('/reports', async (req: Request<{}, {}, ReportBody>, res: Response, next: NextFunction) => {
  try {
    const b = req.body;
    if (!b.description || Number.isNaN(Number(b.lat)) || Number.isNaN(Number(b.lon))) {
      return res.status(400).json({ error: 'description, lat and lon are required' });
    }
    const place = await nearestPlaceName(b.lat, b.lon);
    const row = await withDb(async (db) => {
      const { rows } = await db.query(
        `INSERT INTO find_reports (finder_name, email, lat, lon, place_name, mass_g, description, photo_keys, status)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, 'submitted') RETURNING id`,
        [b.finderName, b.email, b.lat, b.lon, place, b.massGrams ?? null, b.description, b.photoKeys.slice(0, 10)]
      );
      return rows[0];
    });
    res.status(201).json({ id: row.id, placeName: place });
  } catch (err) {
    next(err);
  }
});

// Curators press "Build gazetteer" in the admin UI; the browser waits for the link.
router.post('/admin/gazetteer/:year', async (req: Request, res: Response, next: NextFunction) => {
  try {
    const year = Number(req.params.year);
    const reports = await withDb(async (db) => {
      const { rows } = await db.query(
        `SELECT id, place_name, lat, lon, mass_g, classification, description, photo_keys, verified_at
           FROM find_reports
          WHERE status = 'verified' AND date_part('year', verified_at) = $1
          ORDER BY verified_at`,
        [year]
      );
      return rows;
    });

    const browser = await puppeteer.launch({ args: ['--no-sandbox'] });
    const pdfParts: Buffer[] = [];
    try {
      const page = await browser.newPage();
      for (const report of reports) {
        await page.setContent(renderReportPage(report), { waitUntil: 'networkidle0' });
        pdfParts.push(Buffer.from(await page.pdf({ format: 'A4', printBackground: true })));
      }
    } finally {
      await browser.close();
    }

    const key = `gazetteer/${year}.pdf`;
    const url = await uploadToBucket(key, await mergePdfs(pdfParts), 'application/pdf');
    res.json({ year, reports: reports.length, url });
  } catch (err) {
    next(err);
  }
});
