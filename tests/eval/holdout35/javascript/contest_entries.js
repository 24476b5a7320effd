// services/contestEntries.js
// Brass band contest entries. Each regional association runs its own contests;
// a band enters one section per contest, and sections have a fixed number of places.
const knex = require('../db/knex');

const PAGE_SIZE = 50;

class SectionFullError extends Error {}

/**
 * Enter a band into a section. Safe to call twice (double-clicks, retried
 * form posts): contest_entries has UNIQUE (contest_id, band_id).
 */
async function submitEntry({ associationId, contestId, sectionId, bandId, testPiece }) {
  return knex.transaction(async (trx) => {
    // Take a place only if one is left; the row lock serialises concurrent entries.
    const taken = await trx('contest_sections')
      .where({ id: sectionId, contest_id: contestId, association_id: associationId })
      .andWhere('places_left', '>', 0)
      .decrement('places_left', 1);

    if (taken === 0) {
      throw new SectionFullError(`section ${sectionId} has no places left`);
    }

    const inserted = await trx('contest_entries')
      .insert({
        association_id: associationId,
        contest_id: contestId,
        section_id: sectionId,
        band_id: bandId,
        test_piece: testPiece,
      })
      .onConflict(['contest_id', 'band_id'])
      .ignore()
      .returning(['id', 'section_id', 'test_piece', 'created_at']);

    if (inserted.length === 0) {
      // Already entered: give the place back and return the existing entry.
      await trx('contest_sections')
        .where({ id: sectionId, association_id: associationId })
        .increment('places_left', 1);
      const existing = await trx('contest_entries')
        .where({ association_id: associationId, contest_id: contestId, band_id: bandId })
        .first('id', 'section_id', 'test_piece', 'created_at');
      return { created: false, entry: existing };
    }

    return { created: true, entry: inserted[0] };
  });
}

/**
 * Entries for a contest, keyset-paginated by entry id for the secretary's table.
 */
async function listEntries({ associationId, contestId, after = 0 }) {
  const rows = await knex('contest_entries as e')
    .join('bands as b', 'b.id', 'e.band_id')
    .where('e.association_id', associationId)
    .andWhere('e.contest_id', contestId)
    .andWhere('e.id', '>', after)
    .orderBy('e.id')
    .limit(PAGE_SIZE + 1)
    .select('e.id', 'e.section_id', 'e.test_piece', 'b.name as band_name', 'b.conductor');

  const hasMore = rows.length > PAGE_SIZE;
  const page = hasMore ? rows.slice(0, PAGE_SIZE) : rows;
  return { entries: page, next: hasMore ? page[page.length - 1].id : null };
}

/**
 * Withdraw an entry; the place goes back to the section in the same transaction.
 */
async function withdrawEntry({ associationId, contestId, bandId }) {
  return knex.transaction(async (trx) => {
    const [entry] = await trx('contest_entries')
      .where({ association_id: associationId, contest_id: contestId, band_id: bandId })
      .whereNull('withdrawn_at')
      .update({ withdrawn_at: trx.fn.now() })
      .returning(['id', 'section_id']);

    if (!entry) return false;

    await trx('contest_sections')
      .where({ id: entry.section_id, association_id: associationId })
      .increment('places_left', 1);
    return true;
  });
}

module.exports = { submitEntry, listEntries, withdrawEntry, SectionFullError };
