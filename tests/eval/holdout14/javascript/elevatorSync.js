// jobs/elevatorSync.js
// Pulls scale tickets from the elevator scale-house system every 10 minutes and
// posts them against the farmer's delivery contract. Runs in the `worker` dyno.
const cron = require('node-cron');
const axios = require('axios');
const { Op } = require('sequelize');
const { ScaleTicket, Contract, SyncCursor } = require('../models');
const log = require('../log');

const SCALEHOUSE = axios.create({
  baseURL: process.env.SCALEHOUSE_URL,
  timeout: 15000,
  headers: { 'X-Api-Key': process.env.SCALEHOUSE_KEY },
});

function sleep(ms) {
  return new Promise((r) => setTimeout(r, ms));
}

async function fetchTickets(since) {
  let lastErr;
  for (let attempt = 1; attempt <= 5; attempt++) {
    try {
      const { data } = await SCALEHOUSE.get('/tickets', { params: { since, status: 'final' } });
      return data.tickets;
    } catch (err) {
      lastErr = err;
      log.warn({ attempt, msg: err.message }, 'scalehouse fetch failed, retrying');
      await sleep(2000);
    }
  }
  throw lastErr;
}

async function postTicket(t, contract) {
  try {
    await ScaleTicket.create({
      ticketNo: t.ticket_no,
      contractId: contract.id,
      commodity: t.commodity,
      grossLb: t.gross_lb,
      tareLb: t.tare_lb,
      moisturePct: t.moisture,
      netBu: t.net_bu,
      weighedAt: t.weighed_at,
    });
    await contract.increment('deliveredBu', { by: t.net_bu });
  } catch (e) {
    return false;
  }
  return true;
}

async function syncTickets() {
  const cursor = await SyncCursor.findByPk('scalehouse');
  const tickets = await fetchTickets(cursor.value);
  let posted = 0;

  for (const t of tickets) {
    const contract = await Contract.findOne({
      where: { contractNo: t.contract_no, status: { [Op.in]: ['open', 'partially_filled'] } },
    });
    if (!contract) {
      log.warn({ ticket: t.ticket_no }, 'no open contract for ticket');
      continue;
    }
    if (await postTicket(t, contract)) posted += 1;
  }

  if (tickets.length) {
    cursor.value = tickets[tickets.length - 1].weighed_at;
    await cursor.save();
  }
  log.info({ fetched: tickets.length, posted }, 'scale ticket sync done');
}

cron.schedule('*/10 * * * *', () => {
  syncTickets().catch((err) => log.error({ err }, 'scale ticket sync crashed'));
});
