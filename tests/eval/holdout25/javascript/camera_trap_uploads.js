// Wildlife camera-trap upload API. Field volunteers' phones request a short-lived upload
// token, push images to object storage, then register the upload.
const express = require('express');
const crypto = require('crypto');
const { Client } = require('pg');
const { requireVolunteer } = require('./auth');

const router = express.Router();
const TOKEN_TTL_MINUTES = 30;

// trapId -> { lat, lng, habitat, projectId } used to stamp each registered image
const trapMetaCache = new Map();

async function withDb(fn) {
  const client = new Client({ connectionString: process.env.DATABASE_URL });
  await client.connect();
  try {
    return await fn(client);
  } finally {
    await client.end();
  }
}

async function trapMeta(db, trapId, projectId) {
  if (trapMetaCache.has(trapId)) return trapMetaCache.get(trapId);
  const { rows } = await db.query(
    'SELECT id, lat, lng, habitat, project_id FROM camera_traps WHERE id = $1 AND project_id = $2',
    [trapId, projectId]
  );
  if (rows[0]) trapMetaCache.set(trapId, rows[0]);
  return rows[0];
}

router.post('/projects/:projectId/upload-tokens', requireVolunteer, async (req, res, next) => {
  const { projectId } = req.params;
  const token = crypto.randomBytes(24).toString('base64url');
  try {
    await withDb((db) =>
      db.query(
        `INSERT INTO upload_tokens (token, project_id, volunteer_id, trap_id, expires_at)
         VALUES ($1, $2, $3, $4, now() + make_interval(mins => $5))`,
        [token, projectId, req.user.id, req.body.trapId, TOKEN_TTL_MINUTES]
      )
    );
    res.status(201).json({ token, expiresInMinutes: TOKEN_TTL_MINUTES });
  } catch (err) {
    next(err);
  }
});

router.post('/projects/:projectId/uploads', requireVolunteer, async (req, res, next) => {
  const { projectId } = req.params;
  const { token, objectKey, capturedAt } = req.body;
  try {
    const upload = await withDb(async (db) => {
      // Consume the token in one statement so it can only be used once.
      const { rows } = await db.query(
        `UPDATE upload_tokens SET used_at = now()
          WHERE token = $1 AND project_id = $2 AND expires_at > now() AND used_at IS NULL
          RETURNING trap_id`,
        [token, projectId]
      );
      if (!rows[0]) return null;
      const meta = await trapMeta(db, rows[0].trap_id, projectId);
      const inserted = await db.query(
        `INSERT INTO trap_images (project_id, trap_id, object_key, captured_at, lat, lng, habitat)
         VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id`,
        [projectId, meta.id, objectKey, capturedAt, meta.lat, meta.lng, meta.habitat]
      );
      return inserted.rows[0];
    });
    if (!upload) return res.status(410).json({ error: 'upload token expired or already used' });
    res.status(201).json(upload);
  } catch (err) {
    next(err);
  }
});

module.exports = router;
