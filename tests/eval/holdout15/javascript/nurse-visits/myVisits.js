// routes/me.js - nurse app: "my visits today" screen, polled every minute by the app
const NodeCache = require('node-cache');
const visitCache = new NodeCache({ stdTTL: 60, checkperiod: 120, maxKeys: 5000, useClones: false });

router.get('/me/visits/today', requireNurse, async (req, res, next) => {
  const { nurseId, agencyId } = req.user;
  const key = `visits:${agencyId}:${nurseId}:${todayLocal(req.user.tz)}`;
  try {
    let visits = visitCache.get(key);
    if (!visits) {
      visits = await knex('visits')
        .where({ agency_id: agencyId, nurse_id: nurseId })
        .whereBetween('scheduled_start', dayBounds(req.user.tz))
        .orderBy('scheduled_start')
        .select('id', 'patient_initials', 'address_line', 'scheduled_start', 'visit_type', 'status')
        .limit(40);
      try { visitCache.set(key, visits); } catch (e) { req.log.warn({ err: e }, 'visit cache full'); }
    }
    res.json(visits);
  } catch (err) {
    next(err);
  }
});
