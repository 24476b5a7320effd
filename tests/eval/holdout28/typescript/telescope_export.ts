// src/routes/exports.ts
// Observers download every frame logged against a proposal as a zip of FITS headers plus a
// CSV index, to hand in with their semester report. The API runs as 3 replicas on the
// observatory's k8s cluster (see deploy/api.yaml).
import { Router, Request, Response } from 'express';
import { Client } from 'pg';
import Cursor from 'pg-cursor';
import archiver from 'archiver';
import { PassThrough } from 'stream';
import { uploadToBucket, signedUrl } from '../storage';
import { readFitsHeader } from '../fits';
import { requireObserver } from '../auth';

export const exportsRouter = Router();

// One export per proposal at a time
const exportsInProgress = new Set<string>();

exportsRouter.post('/proposals/:proposalId/export', requireObserver, async (req: Request, res: Response) => {
  const { proposalId } = req.params;
  if (exportsInProgress.has(proposalId)) {
    return res.status(409).json({ error: 'An export for this proposal is already running' });
  }
  exportsInProgress.add(proposalId);

  const db = new Client({ connectionString: process.env.DATABASE_URL });
  await db.connect();

  try {
    const owns = await db.query(
      'SELECT 1 FROM proposals WHERE id = $1 AND observatory_id = $2 AND pi_user_id = $3',
      [proposalId, req.user!.observatoryId, req.user!.id],
    );
    if (owns.rowCount === 0) return res.status(404).json({ error: 'Proposal not found' });

    const zipStream = new PassThrough();
    const archive = archiver('zip', { zlib: { level: 6 } });
    archive.pipe(zipStream);
    const key = `exports/${proposalId}/${Date.now()}.zip`;
    const upload = uploadToBucket(key, zipStream);

    const csv: string[] = ['frame_id,target,filter,exposure_s,airmass,observed_at'];
    const cursor = db.query(
      new Cursor(
        `SELECT id, target_name, filter, exposure_s, airmass, observed_at, raw_path
           FROM observation_frames
          WHERE proposal_id = $1 AND observatory_id = $2
          ORDER BY observed_at`,
        [proposalId, req.user!.observatoryId],
      ),
    );

    let batch = await cursor.read(500);
    while (batch.length > 0) {
      for (const frame of batch) {
        // Raw frames are 30-60 MB; pulling just the header still means a ranged read per file.
        const header = await readFitsHeader(frame.raw_path);
        archive.append(header, { name: `headers/${frame.id}.hdr` });
        csv.push(
          [frame.id, frame.target_name, frame.filter, frame.exposure_s, frame.airmass, frame.observed_at.toISOString()].join(','),
        );
      }
      batch = await cursor.read(500);
    }
    await cursor.close();

    archive.append(csv.join('\n'), { name: 'index.csv' });
    await archive.finalize();
    await upload;

    return res.json({ url: await signedUrl(key, 3600), frames: csv.length - 1 });
  } finally {
    exportsInProgress.delete(proposalId);
    await db.end();
  }
});
