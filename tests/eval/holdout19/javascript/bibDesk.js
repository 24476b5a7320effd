// services/bibDesk.js
// Marathon expo bib pickup. A volunteer scans the runner's QR code at one of ~20 desks.
// The same runner sometimes gets scanned at two desks at once, so the bib row is locked.

const { NotFoundError } = require('../errors');

async function collectBib(knex, { raceId, runnerId, deskId }) {
  return knex.transaction(async (trx) => {
    const bib = await trx('bibs')
      .where({ race_id: raceId, runner_id: runnerId })
      .forUpdate()
      .first();

    if (!bib) throw new NotFoundError('no bib assigned to this runner');
    if (bib.collected_at) {
      return { alreadyCollected: true, at: bib.collected_at, desk: bib.collected_desk };
    }

    await trx('bibs')
      .where({ id: bib.id })
      .update({ collected_at: trx.fn.now(), collected_desk: deskId });
    await trx('pickup_log').insert({ bib_id: bib.id, desk_id: deskId, action: 'collected' });

    return { alreadyCollected: false, bibNumber: bib.bib_number, shirtSize: bib.shirt_size };
  });
}

// Runner wants a different shirt size at pickup. Shirt stock per size is finite.
async function swapShirtSize(knex, { raceId, bibId, newSize }) {
  return knex.transaction(async (trx) => {
    const bib = await trx('bibs').where({ id: bibId, race_id: raceId }).forUpdate().first();
    if (!bib) throw new NotFoundError('bib not found');
    if (bib.shirt_size === newSize) return { ok: true, unchanged: true };

    const taken = await trx('shirt_stock')
      .where({ race_id: raceId, size: newSize })
      .andWhere('remaining', '>', 0)
      .decrement('remaining', 1);
    if (taken === 0) return { ok: false, reason: `size ${newSize} is gone` };

    await trx('shirt_stock').where({ race_id: raceId, size: bib.shirt_size }).increment('remaining', 1);
    await trx('bibs').where({ id: bibId }).update({ shirt_size: newSize });
    return { ok: true };
  });
}

module.exports = { collectBib, swapShirtSize };
