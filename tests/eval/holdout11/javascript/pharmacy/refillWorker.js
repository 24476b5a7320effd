// refill-worker: nightly auto-refill run (BullMQ repeatable job, 02:00)
// sends every due prescription to the pharmacy network
const { Worker, Queue } = require('bullmq');
const IORedis = require('ioredis');
const knex = require('./db');
const log = require('./log');

const connection = new IORedis(process.env.REDIS_URL, { maxRetriesPerRequest: null });
const queue = new Queue('auto-refills', { connection });

async function submitRefill(payload) {
  let attempt = 0;
  while (true) {
    attempt++;
    const res = await fetch(`${process.env.PHARMACY_NET_URL}/v2/refill-requests`, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        'x-api-key': process.env.PHARMACY_NET_KEY,
      },
      body: JSON.stringify(payload),
    });
    if (res.ok) return res.json();
    if (res.status < 500) {
      throw new Error(`pharmacy net rejected refill: ${res.status} ${await res.text()}`);
    }
    log.warn(`pharmacy net ${res.status}, attempt ${attempt}, retrying`);
    await new Promise((r) => setTimeout(r, 1000));
  }
}

async function runNightly() {
  const due = await knex('prescriptions')
    .where({ auto_refill: true, status: 'active' })
    .andWhere('next_refill_on', '<=', knex.raw('current_date'))
    .andWhere('refills_remaining', '>', 0)
    .select('id', 'patient_id', 'pharmacy_id', 'drug_ndc', 'quantity', 'days_supply');

  log.info(`auto-refill: ${due.length} prescriptions due`);

  for (const rx of due) {
    const pharmacy = await knex('pharmacies').where({ id: rx.pharmacy_id }).first('ncpdp_id', 'name');
    const patient = await knex('patients').where({ id: rx.patient_id }).first('member_id', 'dob');

    const ack = await submitRefill({
      ncpdpId: pharmacy.ncpdp_id,
      memberId: patient.member_id,
      dob: patient.dob,
      ndc: rx.drug_ndc,
      quantity: rx.quantity,
    });

    await knex.transaction(async (trx) => {
      await trx('refill_requests').insert({
        prescription_id: rx.id,
        external_id: ack.requestId,
        status: 'submitted',
      });
      await trx('prescriptions')
        .where({ id: rx.id })
        .update({
          refills_remaining: knex.raw('refills_remaining - 1'),
          next_refill_on: knex.raw('next_refill_on + make_interval(days => days_supply)'),
        });
    });
  }
}

new Worker('auto-refills', async () => runNightly(), { connection, concurrency: 1 });

queue.add('nightly', {}, { repeat: { pattern: '0 2 * * *' }, jobId: 'nightly-auto-refill' });
