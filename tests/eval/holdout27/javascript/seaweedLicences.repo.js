// repositories/harvestLicences.js
// Seaweed harvesting licences. The platform is shared by several harbour
// authorities; each licence row carries authority_id and staff only see their own.

const db = require('../db/knex');

const COLUMNS = [
  'id',
  'authority_id',
  'licence_number',
  'holder_name',
  'foreshore_zone',
  'species',
  'annual_quota_kg',
  'valid_from',
  'valid_to',
  'status',
];

class HarvestLicenceRepository {
  /** Paged list for the licences table in the staff portal. */
  async list(authorityId, { page = 1, pageSize = 25, status } = {}) {
    const size = Math.min(Math.max(pageSize, 1), 100);
    const q = db('harvest_licences')
      .where({ authority_id: authorityId })
      .orderBy('licence_number')
      .limit(size)
      .offset((page - 1) * size)
      .select(COLUMNS);
    if (status) q.andWhere({ status });
    return q;
  }

  /** Single licence for the detail page (/licences/:id). */
  async getById(authorityId, licenceId) {
    return db('harvest_licences').where({ id: licenceId }).first(COLUMNS);
  }

  async create(authorityId, licence) {
    const [row] = await db('harvest_licences')
      .insert({ ...licence, authority_id: authorityId, status: 'active' })
      .returning(COLUMNS);
    return row;
  }

  async suspend(authorityId, licenceId, reason) {
    const count = await db('harvest_licences')
      .where({ id: licenceId, authority_id: authorityId, status: 'active' })
      .update({ status: 'suspended', suspended_reason: reason, updated_at: db.fn.now() });
    return count === 1;
  }

  /** Everything for the authority's annual return, sent to the browser as JSON and turned into CSV there. */
  async exportForReturn(authorityId) {
    return db('harvest_licences as l')
      .where('l.authority_id', authorityId)
      .orderBy('l.licence_number')
      .select(COLUMNS.map((c) => `l.${c}`));
  }
}

// routes/licences.js (excerpt)
function mountLicenceRoutes(router, repo = new HarvestLicenceRepository()) {
  router.get('/licences', async (req, res, next) => {
    try {
      res.json(await repo.list(req.user.authorityId, req.query));
    } catch (err) {
      next(err);
    }
  });

  router.get('/licences/export', async (req, res, next) => {
    try {
      res.json(await repo.exportForReturn(req.user.authorityId));
    } catch (err) {
      next(err);
    }
  });

  router.get('/licences/:id', async (req, res, next) => {
    try {
      const licence = await repo.getById(req.user.authorityId, Number(req.params.id));
      if (!licence) return res.sendStatus(404);
      res.json(licence);
    } catch (err) {
      next(err);
    }
  });
}

module.exports = { HarvestLicenceRepository, mountLicenceRoutes };
