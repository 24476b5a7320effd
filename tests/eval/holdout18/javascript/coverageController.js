'use strict';
// Service-address + coverage endpoints for the co-op member portal.
// Every co-op is a tenant: service_addresses, members and work_orders carry coop_id.
// towns / fiber_cabinets are shared reference data (state GIS import) -- no coop_id.

const { Op } = require('sequelize');
const { ServiceAddress, Member, Plan, Town } = require('../models');
const logger = require('../lib/logger');

const FIBERMAP_URL = process.env.FIBERMAP_URL;

async function listAddresses(req, res, next) {
  const page = Math.max(parseInt(req.query.page, 10) || 1, 1);
  const pageSize = Math.min(parseInt(req.query.pageSize, 10) || 50, 200);
  try {
    const where = { coopId: req.coop.id };
    if (req.query.q) where.street = { [Op.iLike]: `%${req.query.q}%` };

    const { rows, count } = await ServiceAddress.findAndCountAll({
      where,
      include: [{ model: Town, attributes: ['id', 'name'] }, { model: Plan, attributes: ['id', 'name', 'mbps'] }],
      order: [['street', 'ASC'], ['id', 'ASC']],
      limit: pageSize,
      offset: (page - 1) * pageSize,
    });
    res.json({ items: rows, total: count, page, pageSize });
  } catch (err) {
    next(err);
  }
}

async function getAddress(req, res, next) {
  try {
    const addr = await ServiceAddress.findOne({
      where: { id: req.params.id, coopId: req.coop.id },
      include: [Town, Plan, { model: Member, attributes: ['id', 'name', 'memberNo'] }],
    });
    if (!addr) return res.status(404).json({ error: 'not found' });
    res.json(addr);
  } catch (err) {
    next(err);
  }
}

// Towns are global reference rows, looked up by primary key.
async function getTown(req, res, next) {
  try {
    const town = await Town.findByPk(req.params.townId, {
      attributes: ['id', 'name', 'county', 'fipsCode', 'households'],
    });
    if (!town) return res.status(404).json({ error: 'not found' });
    res.json(town);
  } catch (err) {
    next(err);
  }
}

// Ask the fiber map service whether a drop can reach this address.
async function checkAvailability(req, res, next) {
  try {
    const addr = await ServiceAddress.findOne({
      where: { id: req.params.id, coopId: req.coop.id },
      attributes: ['id', 'lat', 'lng'],
    });
    if (!addr) return res.status(404).json({ error: 'not found' });

    let result;
    try {
      const resp = await fetch(`${FIBERMAP_URL}/v1/serviceability?lat=${addr.lat}&lng=${addr.lng}`, {
        headers: { authorization: `Bearer ${process.env.FIBERMAP_TOKEN}` },
        signal: AbortSignal.timeout(5000),
      });
      if (!resp.ok) throw new Error(`fibermap responded ${resp.status}`);
      result = await resp.json();
    } catch (err) {
      logger.error({ err, addressId: addr.id }, 'serviceability lookup failed');
      throw err;
    }

    await addr.update({ serviceable: result.serviceable, checkedAt: new Date() });
    res.json({ serviceable: result.serviceable, maxMbps: result.maxMbps });
  } catch (err) {
    next(err);
  }
}

module.exports = { listAddresses, getAddress, getTown, checkAvailability };
