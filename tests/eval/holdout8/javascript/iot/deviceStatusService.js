// src/services/deviceStatusService.js
// Smart-home hub backend: device status for the household dashboard and the
// nightly firmware check. Knex + Postgres, axios for the vendor firmware API.

const axios = require('axios');
const knex = require('../db');
const logger = require('../logger');

// Timeout configured once on the client; every call below inherits it.
const firmwareApi = axios.create({
  baseURL: 'https://firmware.vendor-cloud.example/v2',
  timeout: 4000,
});

const PAGE_SIZE = 500;

/**
 * Dashboard: devices of one household with their latest reading.
 * Two queries total, regardless of device count.
 */
async function getHouseholdDevices(householdId, { limit = 100, offset = 0 } = {}) {
  const devices = await knex('devices')
    .where({ household_id: householdId })
    .orderBy('room')
    .limit(limit)
    .offset(offset)
    .select('id', 'name', 'room', 'kind', 'firmware_version');

  if (devices.length === 0) return [];

  const latest = await knex('device_readings as r')
    .distinctOn('r.device_id')
    .whereIn('r.device_id', devices.map((d) => d.id))
    .orderBy([{ column: 'r.device_id' }, { column: 'r.recorded_at', order: 'desc' }])
    .select('r.device_id', 'r.payload', 'r.recorded_at');

  const byDevice = new Map(latest.map((r) => [r.device_id, r]));
  return devices.map((d) => ({ ...d, lastReading: byDevice.get(d.id) || null }));
}

/**
 * Nightly job: compare installed firmware with the vendor's latest, page by page.
 * One vendor call per page (the batch endpoint accepts up to 500 models).
 */
async function flagOutdatedFirmware() {
  let lastId = 0;
  let flagged = 0;

  for (;;) {
    const page = await knex('devices')
      .where('id', '>', lastId)
      .orderBy('id')
      .limit(PAGE_SIZE)
      .select('id', 'model', 'firmware_version');
    if (page.length === 0) break;

    const models = [...new Set(page.map((d) => d.model))];
    const { data } = await firmwareApi.post('/latest-versions', { models });

    const outdatedIds = page
      .filter((d) => data.latest[d.model] && data.latest[d.model] !== d.firmware_version)
      .map((d) => d.id);

    if (outdatedIds.length) {
      await knex('devices').whereIn('id', outdatedIds).update({ update_available: true });
      flagged += outdatedIds.length;
    }
    lastId = page[page.length - 1].id;
  }

  logger.info({ flagged }, 'firmware check finished');
  return flagged;
}

module.exports = { getHouseholdDevices, flagOutdatedFirmware };
