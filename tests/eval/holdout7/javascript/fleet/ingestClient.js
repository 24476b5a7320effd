// telematics sync worker - pulls GPS pings from the vendor API page by page
const axios = require('axios');
const knex = require('./db');

const vendor = axios.create({
  baseURL: 'https://api.trackvendor.com/v2',
  timeout: 8000,
  headers: { 'X-Api-Key': process.env.TRACKVENDOR_KEY },
});

async function syncPings(since) {
  let cursor = null;
  let total = 0;
  do {
    const { data } = await vendor.get('/pings', { params: { since, cursor, limit: 1000 } });
    const rows = data.items.map((p) => ({
      vehicle_id: p.unitId,
      recorded_at: p.ts,
      lat: p.lat,
      lng: p.lon,
      speed_kph: p.speed,
    }));
    // one multi-row insert per page
    await knex('gps_pings').insert(rows).onConflict(['vehicle_id', 'recorded_at']).ignore();
    total += rows.length;
    cursor = data.nextCursor;
  } while (cursor);
  return total
