// Hedgerow survey: volunteers submit sightings with a photo from their phone. The same
// dormouse nest or hawthorn stand often gets photographed by several volunteers, so the
// coordinator presses "Reconcile" on a survey to link near-duplicate photos together.
// A county-wide summer survey typically has 30-40k photos.
const fs = require('fs/promises');
const path = require('path');
const sharp = require('sharp');
const { pool } = require('../db/pool');
const { requireCoordinator } = require('../middleware/auth');

const PHOTO_ROOT = process.env.PHOTO_ROOT || '/srv/hedgerow/photos';
const BATCH_SIZE = 500;
const HAMMING_THRESHOLD = 6;

// 64-bit average hash of a photo, as a BigInt.
async function averageHash(buffer) {
  const pixels = await sharp(buffer).greyscale().resize(8, 8, { fit: 'fill' }).raw().toBuffer();
  const mean = pixels.reduce((sum, p) => sum + p, 0) / pixels.length;
  let hash = 0n;
  for (const p of pixels) hash = (hash << 1n) | (p >= mean ? 1n : 0n);
  return hash;
}

function hamming(a, b) {
  let x = a ^ b;
  let count = 0;
  while (x) {
    count += Number(x & 1n);
    x >>= 1n;
  }
  return count;
}

// POST /surveys/:surveyId/reconcile
async function reconcileSurvey(req, res, next) {
  const { surveyId } = req.params;
  const seen = []; // { id, hash }
  const duplicates = []; // [sightingId, duplicateOfId]
  let lastId = 0;
  let hasMore = true;
  let processed = 0;

  try {
    while (hasMore) {
      const { rows } = await pool.query(
        `SELECT id, photo_path FROM sightings
          WHERE survey_id = $1 AND photo_path IS NOT NULL AND id > $2
          ORDER BY id
          LIMIT $3`,
        [surveyId, lastId, BATCH_SIZE]
      );
      hasMore = rows.length === BATCH_SIZE;

      for (const sighting of rows) {
        lastId = sighting.id;
        let hash;
        try {
          const buffer = await fs.readFile(path.join(PHOTO_ROOT, sighting.photo_path));
          hash = await averageHash(buffer);
        } catch (readErr) {
          continue;
        }

        const match = seen.find((s) => hamming(s.hash, hash) <= HAMMING_THRESHOLD);
        if (match) {
          duplicates.push([sighting.id, match.id]);
        } else {
          seen.push({ id: sighting.id, hash });
        }
        processed += 1;
      }
    }

    // One statement for all links rather than an UPDATE per pair.
    if (duplicates.length > 0) {
      await pool.query(
        `UPDATE sightings s
            SET duplicate_of = d.dup_of
           FROM unnest($1::bigint[], $2::bigint[]) AS d(id, dup_of)
          WHERE s.id = d.id AND s.survey_id = $3`,
        [duplicates.map((d) => d[0]), duplicates.map((d) => d[1]), surveyId]
      );
    }

    res.json({ surveyId, processed, duplicatesLinked: duplicates.length });
  } catch (err) {
    next(err);
  }
}

module.exports = (router) => {
  router.post('/surveys/:surveyId/reconcile', requireCoordinator, reconcileSurvey);
};
