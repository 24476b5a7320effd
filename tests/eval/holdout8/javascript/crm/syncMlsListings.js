// jobs/syncMlsListings.js
// Pulls updated listings from the MLS feed every 15 min (node-cron, runs inside the
// worker process) and upserts them into our CRM so agents see fresh status/prices.

const cron = require('node-cron');
const axios = require('axios');
const knex = require('../db/knex');
const logger = require('../lib/logger');

const mls = axios.create({
  baseURL: process.env.MLS_API_URL,
  headers: { Authorization: `Bearer ${process.env.MLS_TOKEN}` },
});

async function fetchPage(since, page) {
  let attempt = 0;
  while (true) {
    try {
      const { data } = await mls.get('/listings', { params: { modifiedSince: since, page, pageSize: 200 } });
      return data;
    } catch (err) {
      attempt++;
      logger.warn({ err: err.message, page, attempt }, 'MLS fetch failed, retrying');
      await new Promise((r) => setTimeout(r, 1000));
    }
  }
}

async function syncListings() {
  const state = await knex('sync_state').where({ name: 'mls' }).first();
  const since = state ? state.last_run_at.toISOString() : '1970-01-01T00:00:00Z';
  const startedAt = new Date();

  let page = 1;
  let total = 0;
  for (;;) {
    const data = await fetchPage(since, page);
    if (!data.items.length) break;

    for (const item of data.items) {
      const agent = await knex('agents').where({ mls_agent_id: item.listAgentId }).first('id');
      await knex('listings')
        .insert({
          mls_id: item.mlsId,
          agent_id: agent ? agent.id : null,
          address: item.address.full,
          status: item.status,
          list_price: item.listPrice,
          updated_at: new Date(),
        })
        .onConflict('mls_id')
        .merge();
    }

    total += data.items.length;
    page++;
  }

  await knex('sync_state')
    .insert({ name: 'mls', last_run_at: startedAt })
    .onConflict('name')
    .merge();
  logger.info({ total }, 'MLS sync done');
}

cron.schedule('*/15 * * * *', () => {
  syncListings().catch((err) => logger.error({ err }, 'MLS sync crashed'));
});

module.exports = { syncListings };
