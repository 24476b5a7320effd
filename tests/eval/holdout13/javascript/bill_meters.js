#!/usr/bin/env node
// scripts/bill-meters.js
// usage: node scripts/bill-meters.js --date=2024-03-31
// run once a night from the ops box crontab (single process, nothing else touches this)
'use strict';

var axios = require('axios');
var Op = require('sequelize').Op;
var db = require('../models');

var argv = require('minimist')(process.argv.slice(2));
var runDate = argv.date ? new Date(argv.date) : new Date(Date.now() - 86400000);

var billing = axios.create({
  baseURL: process.env.BILLING_URL,
  timeout: 15000,
  headers: { Authorization: 'Bearer ' + process.env.BILLING_TOKEN },
});

var totalsByTariff = new Map(); // for the summary line at the end

function sleep(ms) {
  return new Promise(function (r) { setTimeout(r, ms); });
}

async function postBatch(lines) {
  var tries = 0;
  while (true) {
    try {
      return await billing.post('/invoice-lines/batch', { lines: lines });
    } catch (e) {
      tries++;
      console.error('batch post failed (try ' + tries + '):', e.message);
      await sleep(2000);
    }
  }
}

async function main() {
  var start = new Date(runDate); start.setHours(0, 0, 0, 0);
  var end = new Date(start.getTime() + 86400000);

  var readings = await db.MeterReading.findAll({
    where: { readAt: { [Op.gte]: start, [Op.lt]: end }, billed: false },
    order: [['meterId', 'ASC'], ['readAt', 'ASC']],
  });
  console.log('readings to bill:', readings.length);

  var lines = [];
  for (var r of readings) {
    var meter = await db.Meter.findOne({ where: { id: r.meterId }, include: [db.Tariff, db.Account] });
    if (!meter || !meter.Account || meter.Account.status !== 'active') continue;

    var kwh = Number(r.deltaKwh);
    var amount = Math.round(kwh * meter.Tariff.centsPerKwh);
    lines.push({
      accountNumber: meter.Account.number,
      meterSerial: meter.serial,
      readingId: r.id,
      kwh: kwh,
      amountCents: amount,
    });
    totalsByTariff.set(meter.Tariff.code, (totalsByTariff.get(meter.Tariff.code) || 0) + amount);
  }

  for (var i = 0; i < lines.length; i += 500) {
    await postBatch(lines.slice(i, i + 500));
  }

  await db.MeterReading.update(
    { billed: true },
    { where: { id: lines.map(function (l) { return l.readingId; }) } }
  );

  totalsByTariff.forEach(function (cents, code) {
    console.log(code.padEnd(10), (cents / 100).toFixed(2));
  });
}

main()
  .then(function () { return db.sequelize.close(); })
  .catch(function (err) {
    console.error(err);
    process.exit(1);
  });
