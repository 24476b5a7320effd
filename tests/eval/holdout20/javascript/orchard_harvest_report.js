// Season dashboard for the orchard manager (the landing page of the manager app):
// totals per variety and a table of picking crews with their bin counts. Knex on Postgres.
const knex = require('../db/knex');

const GRADE_ORDER = ['extra', 'class_i', 'class_ii', 'juice'];

async function seasonDashboard(req, res, next) {
  const { orchardId } = req.params;
  const farmId = req.user.farmId;
  const season = Number(req.query.season) || new Date().getFullYear();

  try {
    const orchard = await knex('orchards')
      .where({ id: orchardId, farm_id: farmId })
      .first('id', 'name', 'hectares');
    if (!orchard) return res.status(404).json({ error: 'orchard not found' });

    // Per-variety totals with median bin weight and grade mix for the season.
    const varieties = await knex.raw(
      `SELECT v.name AS variety,
              count(*)                                   AS bins,
              sum(h.net_weight_kg)                       AS total_kg,
              percentile_cont(0.5) WITHIN GROUP (ORDER BY h.net_weight_kg) AS median_bin_kg,
              count(*) FILTER (WHERE h.grade = 'extra')    AS extra_bins,
              count(*) FILTER (WHERE h.grade = 'class_i')  AS class_i_bins,
              count(*) FILTER (WHERE h.grade = 'class_ii') AS class_ii_bins,
              count(*) FILTER (WHERE h.grade = 'juice')    AS juice_bins,
              sum(h.net_weight_kg) / nullif(sum(b.trees), 0) AS kg_per_tree
         FROM harvest_logs h
         JOIN blocks b    ON b.id = h.block_id
         JOIN varieties v ON v.id = b.variety_id
        WHERE h.farm_id = ? AND b.orchard_id = ?
          AND extract(year FROM h.picked_at) = ?
        GROUP BY v.name
        ORDER BY total_kg DESC`,
      [farmId, orchardId, season]
    );

    const crews = await knex('picking_crews')
      .where({ farm_id: farmId, season })
      .orderBy('name')
      .limit(50)
      .select('id', 'name', 'leader_name');

    const crewRows = [];
    for (const crew of crews) {
      const stats = await knex('harvest_logs')
        .where({ farm_id: farmId, crew_id: crew.id })
        .whereRaw('extract(year FROM picked_at) = ?', [season])
        .first(knex.raw('count(*) AS bins'), knex.raw('coalesce(sum(net_weight_kg), 0) AS kg'));
      crewRows.push({
        id: crew.id,
        name: crew.name,
        leader: crew.leader_name,
        bins: Number(stats.bins),
        kg: Number(stats.kg),
      });
    }

    res.json({
      orchard,
      season,
      varieties: varieties.rows.map((v) => ({
        variety: v.variety,
        bins: Number(v.bins),
        totalKg: Number(v.total_kg),
        medianBinKg: Number(v.median_bin_kg),
        kgPerTree: v.kg_per_tree === null ? null : Number(v.kg_per_tree),
        gradeMix: GRADE_ORDER.map((g) => ({ grade: g, bins: Number(v[`${g}_bins`]) })),
      })),
      crews: crewRows,
    });
  } catch (err) {
    next(err);
  }
}

module.exports = { seasonDashboard };
