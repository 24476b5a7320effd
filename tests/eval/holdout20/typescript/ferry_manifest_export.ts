// src/routes/manifests.ts
// Season manifest export for the port authority: one PDF per crossing
// (passengers, vehicles, hazardous cargo declarations), zipped and uploaded to S3.
import { Router, Request, Response, NextFunction } from 'express';
import archiver from 'archiver';
import { PassThrough } from 'stream';
import { Upload } from '@aws-sdk/lib-storage';
import { S3Client } from '@aws-sdk/client-s3';
import { pool } from '../db';
import { renderManifestPdf } from '../pdf/manifest';
import { auditLog } from '../audit';

const s3 = new S3Client({ region: process.env.AWS_REGION, requestHandler: { requestTimeout: 30_000 } as any });
const router = Router();

interface CrossingRow {
  id: string;
  route_code: string;
  departs_at: Date;
  vessel_name: string;
}

router.post('/operators/:operatorId/manifests/export', async (req: Request, res: Response, next: NextFunction) => {
  const operatorId = req.params.operatorId;
  if (req.user?.operatorId !== operatorId) return res.status(403).json({ error: 'forbidden' });

  const from = new Date(String(req.body.from));
  const to = new Date(String(req.body.to));
  if (Number.isNaN(from.getTime()) || Number.isNaN(to.getTime()) || to <= from) {
    return res.status(400).json({ error: 'from/to must be a valid date range' });
  }

  try {
    const { rows: crossings } = await pool.query<CrossingRow>(
      `SELECT c.id, c.route_code, c.departs_at, v.name AS vessel_name
         FROM crossings c JOIN vessels v ON v.id = c.vessel_id
        WHERE c.operator_id = $1 AND c.departs_at >= $2 AND c.departs_at < $3
        ORDER BY c.departs_at`,
      [operatorId, from, to],
    );

    // Passenger and vehicle lists for every crossing, fetched in one go.
    const { rows: manifestLines } = await pool.query(
      `SELECT crossing_id, kind, name, detail, hazardous_class
         FROM manifest_lines
        WHERE operator_id = $1 AND crossing_id = ANY($2::uuid[])
        ORDER BY crossing_id, kind, name`,
      [operatorId, crossings.map((c) => c.id)],
    );
    const linesByCrossing = new Map<string, typeof manifestLines>();
    for (const line of manifestLines) {
      const list = linesByCrossing.get(line.crossing_id) ?? [];
      list.push(line);
      linesByCrossing.set(line.crossing_id, list);
    }

    const zipStream = new PassThrough();
    const archive = archiver('zip', { zlib: { level: 6 } });
    archive.pipe(zipStream);
    const key = `manifests/${operatorId}/${from.toISOString().slice(0, 10)}_${to.toISOString().slice(0, 10)}.zip`;
    const upload = new Upload({ client: s3, params: { Bucket: process.env.EXPORT_BUCKET!, Key: key, Body: zipStream } });
    const uploadDone = upload.done();

    for (const crossing of crossings) {
      const pdf = await renderManifestPdf(crossing, linesByCrossing.get(crossing.id) ?? []);
      const stamp = crossing.departs_at.toISOString().replace(/[:T]/g, '-').slice(0, 16);
      archive.append(pdf, { name: `${crossing.route_code}_${stamp}.pdf` });
    }
    await archive.finalize();
    await uploadDone;

    try {
      await auditLog.record({ actor: req.user!.id, action: 'manifest.export', operatorId, key, crossings: crossings.length });
    } catch {}

    res.status(201).json({ key, crossings: crossings.length });
  } catch (err) {
    next(err);
  }
});

export default router;
