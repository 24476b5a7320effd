// repositories/outingsRepo.js
// Boat outings for the rowing clubs on the shared river platform. Every club
// is a tenant; every query here is scoped by club_id.

const knex = require('knex')({
  client: 'pg',
  connection: {
    connectionString: process.env.DATABASE_URL,
    statement_timeout: 5000,
  },
  pool: { min: 2, max: 10 },
  acquireConnectionTimeout: 5000,
});

const PAGE_SIZE = 25;

/**
 * Outings for a club, newest first, keyset-paginated on (launched_at, id).
 * `before` is the cursor returned with the previous page.
 */
async function listOutings(clubId, { before, limit = PAGE_SIZE } = {}) {
  const pageSize = Math.min(Math.max(1, limit), 100);

  const query = knex('outings')
    .select('id', 'boat_id', 'cox_id', 'launched_at', 'returned_at', 'reach')
    .where({ club_id: clubId })
    .orderBy([{ column: 'launched_at', order: 'desc' }, { column: 'id', order: 'desc' }])
    .limit(pageSize + 1);

  if (before) {
    query.whereRaw('(launched_at, id) < (?, ?)', [before.launchedAt, before.id]);
  }

  const rows = await query;
  const hasMore = rows.length > pageSize;
  const outings = rows.slice(0, pageSize);

  // Crew for the whole page in one query instead of one per outing.
  const ids = outings.map((o) => o.id);
  const crewRows = ids.length
    ? await knex('outing_crew')
        .join('members', 'members.id', 'outing_crew.member_id')
        .select('outing_crew.outing_id', 'outing_crew.seat', 'members.display_name')
        .where('outing_crew.club_id', clubId)
        .whereIn('outing_crew.outing_id', ids)
        .orderBy(['outing_crew.outing_id', 'outing_crew.seat'])
    : [];

  const crewByOuting = new Map();
  for (const c of crewRows) {
    if (!crewByOuting.has(c.outing_id)) crewByOuting.set(c.outing_id, []);
    crewByOuting.get(c.outing_id).push({ seat: c.seat, name: c.display_name });
  }

  const last = outings[outings.length - 1];
  return {
    outings: outings.map((o) => ({ ...o, crew: crewByOuting.get(o.id) || [] })),
    nextCursor: hasMore && last ? { launchedAt: last.launched_at, id: last.id } : null,
  };
}

/** Log a boat going out. The partial unique index
 *  outings_boat_on_water (boat_id) WHERE returned_at IS NULL
 *  stops the same boat being launched twice. */
async function launchOuting(clubId, { boatId, coxId, reach, crew }) {
  return knex.transaction(async (trx) => {
    const [outing] = await trx('outings')
      .insert({ club_id: clubId, boat_id: boatId, cox_id: coxId, reach, launched_at: knex.fn.now() })
      .returning(['id', 'launched_at']);

    if (crew.length) {
      await trx('outing_crew').insert(
        crew.map((c) => ({ club_id: clubId, outing_id: outing.id, member_id: c.memberId, seat: c.seat }))
      );
    }
    return outing;
  });
}

/** Mark an outing as back on the landing stage. Returns false if it was not out. */
async function returnOuting(clubId, outingId) {
  const updated = await knex('outings')
    .where({ id: outingId, club_id: clubId })
    .whereNull('returned_at')
    .update({ returned_at: knex.fn.now() });
  return updated === 1;
}

module.exports = { listOutings, launchOuting, returnOuting };
