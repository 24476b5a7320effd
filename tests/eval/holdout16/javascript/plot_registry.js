// services/plots.js – cemetery plot registry (multi-tenant: one org per cemetery operator)
//
// Schema (abridged):
//   plots(id, org_id, section_id, row_label, plot_no, plot_type_id, status, reserved_for, ...)
//   interments(id, org_id, plot_id, deceased_name, interred_on, ...)
//   plot_types(id, code, label, max_interments)   -- global reference table, no org_id
const knex = require('../db/knex');

const PAGE_MAX = 100;

async function listPlots(orgId, { sectionId, status, cursor, limit = 50 }) {
  const q = knex('plots')
    .where('org_id', orgId)
    .modify((qb) => {
      if (sectionId) qb.andWhere('section_id', sectionId);
      if (status) qb.andWhere('status', status);
      if (cursor) qb.andWhere('id', '>', cursor);
    })
    .orderBy('id')
    .limit(Math.min(limit, PAGE_MAX))
    .select('id', 'section_id', 'row_label', 'plot_no', 'plot_type_id', 'status');
  const rows = await q;
  return { rows, nextCursor: rows.length ? rows[rows.length - 1].id : null };
}

async function getPlot(orgId, plotId) {
  const plot = await knex('plots').where({ id: plotId, org_id: orgId }).first();
  if (!plot) return null;
  const type = await knex('plot_types').where({ id: plot.plot_type_id }).first('code', 'label', 'max_interments');
  const interments = await knex('interments')
    .where({ plot_id: plotId, org_id: orgId })
    .orderBy('interred_on')
    .select('id', 'deceased_name', 'interred_on');
  return { ...plot, type, interments };
}

/**
 * Reserve a plot for a family. The status check and the write are the same
 * statement, so two clerks reserving the same plot can't both succeed.
 */
async function reservePlot(orgId, plotId, reservedFor, clerkId) {
  const updated = await knex('plots')
    .where({ id: plotId, org_id: orgId, status: 'available' })
    .update({ status: 'reserved', reserved_for: reservedFor, reserved_by: clerkId, reserved_at: knex.fn.now() });
  if (updated === 0) {
    const exists = await knex('plots').where({ id: plotId, org_id: orgId }).first('status');
    if (!exists) throw Object.assign(new Error('plot not found'), { status: 404 });
    throw Object.assign(new Error(`plot is ${exists.status}`), { status: 409 });
  }
  return { id: plotId, status: 'reserved' };
}

async function recordInterment(orgId, plotId, { deceasedName, interredOn }) {
  return knex.transaction(async (trx) => {
    const plot = await trx('plots')
      .where({ id: plotId, org_id: orgId })
      .forUpdate()
      .first('id', 'plot_type_id', 'status');
    if (!plot) throw Object.assign(new Error('plot not found'), { status: 404 });

    const { max_interments: max } = await trx('plot_types').where({ id: plot.plot_type_id }).first('max_interments');
    const [{ count }] = await trx('interments').where({ plot_id: plotId, org_id: orgId }).count({ count: '*' });
    if (Number(count) >= max) throw Object.assign(new Error('plot is at capacity'), { status: 409 });

    const [row] = await trx('interments')
      .insert({ org_id: orgId, plot_id: plotId, deceased_name: deceasedName, interred_on: interredOn })
      .returning('id');
    await trx('plots').where({ id: plotId, org_id: orgId }).update({ status: 'occupied' });
    return row;
  });
}

async function searchDeceased(orgId, name, limit = 25) {
  return knex('interments as i')
    .join('plots as p', function () {
      this.on('p.id', 'i.plot_id').andOn('p.org_id', 'i.org_id');
    })
    .where('i.org_id', orgId)
    .andWhereILike('i.deceased_name', `%${name}%`)
    .orderBy('i.deceased_name')
    .limit(Math.min(limit, PAGE_MAX))
    .select('i.id', 'i.deceased_name', 'i.interred_on', 'p.section_id', 'p.row_label', 'p.plot_no');
}

module.exports = { listPlots, getPlot, reservePlot, recordInterment, searchDeceased };
