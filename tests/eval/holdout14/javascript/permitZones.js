// is this ok? trying to stop every page load from hitting postgres for the zone rules
const NodeCache = require('node-cache');
const zoneCache = new NodeCache({ stdTTL: 600 });

async function getZoneRules(req, res) {
  const key = `zones:${req.session.userId}`;
  let rules = zoneCache.get(key);
  if (!rules) {
    const { rows } = await db.query(
      'SELECT zone_code, max_hours, hourly_rate, enforced_from, enforced_to FROM parking_zones WHERE active'
    );
    rules = rows;
    zoneCache.set(key, rules);
  }
  res.json(rules);
}
