import { Router, Request, Response, NextFunction } from 'express';
import { Client } from 'pg';
import PDFDocument from 'pdfkit';
import { renderElevationProfile } from '../charts/elevation';
import { summariseConditions } from '../lib/conditions';

// Coastal path warden patrols: end-of-season report per warden, with one
// page per patrolled segment (elevation profile, erosion notes, photos).
// A full season for a warden is typically 400–700 segments.

export const patrolReportRouter = Router();

interface SegmentRow {
  id: number;
  name: string;
  walked_on: Date;
  distance_km: string;
  track_points: Array<[number, number, number]>; // lon, lat, elevation
  erosion_notes: string | null;
  hazards: string[];
}

patrolReportRouter.post(
  '/wardens/:wardenId/season-report',
  async (req: Request, res: Response, next: NextFunction) => {
    const wardenId = Number(req.params.wardenId);
    const season = Number(req.body.season) || new Date().getFullYear();

    const db = new Client({ connectionString: process.env.DATABASE_URL, statement_timeout: 15000 });
    await db.connect();

    try {
      const { rows: wardenRows } = await db.query(
        'SELECT id, name, area FROM wardens WHERE id = $1',
        [wardenId],
      );
      if (wardenRows.length === 0) {
        res.status(404).json({ error: 'Unknown warden' });
        return;
      }
      const warden = wardenRows[0];

      const { rows: segments } = await db.query<SegmentRow>(
        `SELECT s.id, s.name, p.walked_on, s.distance_km, p.track_points, p.erosion_notes, p.hazards
           FROM patrols p
           JOIN path_segments s ON s.id = p.segment_id
          WHERE p.warden_id = $1 AND extract(year FROM p.walked_on) = $2
          ORDER BY p.walked_on
          LIMIT 2000`,
        [wardenId, season],
      );

      const doc = new PDFDocument({ size: 'A4', margin: 40 });
      const chunks: Buffer[] = [];
      doc.on('data', (c: Buffer) => chunks.push(c));

      doc.fontSize(20).text(`${warden.name} — ${warden.area} — ${season} season`);
      doc.moveDown().fontSize(11).text(summariseConditions(segments));

      for (const seg of segments) {
        doc.addPage();
        doc.fontSize(14).text(`${seg.name} (${seg.distance_km} km), ${seg.walked_on.toDateString()}`);
        // chartjs-node-canvas render, roughly 0.5–1 s per profile
        const png = await renderElevationProfile(seg.track_points, { width: 900, height: 300 });
        doc.image(png, { fit: [515, 170] });
        if (seg.erosion_notes) doc.moveDown().fontSize(10).text(seg.erosion_notes);
        if (seg.hazards.length) doc.moveDown().text(`Hazards: ${seg.hazards.join(', ')}`);
      }

      doc.end();
      await new Promise<void>((resolve) => doc.on('end', () => resolve()));

      res.setHeader('Content-Type', 'application/pdf');
      res.setHeader('Content-Disposition', `attachment; filename="patrols-${wardenId}-${season}.pdf"`);
      res.send(Buffer.concat(chunks));
    } catch (err) {
      next(err);
    } finally {
      await db.end();
    }
  },
);
