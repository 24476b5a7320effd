// Morris dancing side fixtures — handlers from fixtures.controller.js
// (Express app; `router`, `requireSquire`, `publishQueue` and `redisConnection`
//  come from the surrounding module)

const { Client } = require('pg');
const { Worker } = require('bullmq');

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

function toCalendarEvent(f) {
  return {
    title: `${f.side_name} dance out: ${f.venue}`,
    start: f.dance_date,
    location: f.venue_postcode,
    notes: f.with_sides ? `Joint with ${f.with_sides}` : undefined,
  };
}

// One short-lived connection per unit of work, always closed afterwards.
async function withDb(fn) {
  const client = new Client({
    connectionString: process.env.DATABASE_URL,
    statement_timeout: 5000,
    connectionTimeoutMillis: 3000,
  });
  await client.connect();
  try {
    return await fn(client);
  } finally {
    await client.end();
  }
}

// GET /sides/:sideId/fixtures — the season's upcoming dance-outs for one side
async function listFixtures(req, res, next) {
  try {
    const rows = await withDb(async (db) => {
      const result = await db.query(
        `SELECT f.id, f.dance_date, f.venue, f.venue_postcode, f.kit, f.with_sides
           FROM side_fixtures f
          WHERE f.side_id = $1 AND f.dance_date >= current_date
          ORDER BY f.dance_date
          LIMIT 100`,
        [req.params.sideId]
      );
      return result.rows;
    });
    res.json({ fixtures: rows });
  } catch (err) {
    next(err);
  }
}

// Push one fixture to the regional morris federation calendar.
async function publishToFederation(fixture) {
  const url = `${process.env.FEDERATION_API}/calendar/events`;
  let lastError;

  for (let attempt = 1; attempt <= 5; attempt++) {
    try {
      const res = await fetch(url, {
        method: 'POST',
        headers: {
          'Content-Type': 'application/json',
          Authorization: `Bearer ${process.env.FEDERATION_TOKEN}`,
        },
        body: JSON.stringify(toCalendarEvent(fixture)),
        signal: AbortSignal.timeout(8000),
      });
      if (res.ok) return res.json();
      if (res.status < 500 && res.status !== 429) {
        throw new Error(`federation rejected fixture ${fixture.id}: ${res.status}`);
      }
      lastError = new Error(`federation returned ${res.status}`);
    } catch (err) {
      if (err.message.startsWith('federation rejected')) throw err;
      lastError = err;
    }
    await sleep(1000);
  }
  throw lastError;
}

// POST /sides/:sideId/fixtures — squire adds a dance-out; publishing happens on the queue
async function createFixture(req, res, next) {
  try {
    const fixture = await withDb(async (db) => {
      const result = await db.query(
        `INSERT INTO side_fixtures (side_id, dance_date, venue, venue_postcode, kit, with_sides)
         VALUES ($1, $2, $3, $4, $5, $6)
         RETURNING id, dance_date, venue`,
        [req.params.sideId, req.body.danceDate, req.body.venue, req.body.postcode, req.body.kit, req.body.withSides]
      );
      return result.rows[0];
    });
    await publishQueue.add('publish', { fixtureId: fixture.id }, { jobId: `fixture-${fixture.id}` });
    res.status(201).json({ fixture });
  } catch (err) {
    next(err);
  }
}

// BullMQ consumer: one job per new fixture.
const publishWorker = new Worker('federation-publish', async (job) => {
  const fixture = await withDb(async (db) => {
    const result = await db.query(
      `SELECT f.id, f.dance_date, f.venue, f.venue_postcode, f.with_sides, s.name AS side_name
         FROM side_fixtures f JOIN sides s ON s.id = f.side_id
        WHERE f.id = $1`,
      [job.data.fixtureId]
    );
    return result.rows[0];
  });
  if (!fixture) return { skipped: true };
  const published = await publishToFederation(fixture);
  return { federationId: published.id };
}, { connection: redisConnection });

router.get('/sides/:sideId/fixtures', listFixtures);
router.post('/sides/:sideId/fixtures', requireSquire, createFixture);
