// src/reminders.ts
// Appointment reminders: every 15 min we text patients who have an appointment
// in the next 48h a "reply C to confirm / tap link" SMS.
// Runs inside the main API process (docker swarm service, 2 replicas).
import cron from 'node-cron';
import crypto from 'node:crypto';
import type { Express, Request, Response } from 'express';
import { db } from './db'; // knex instance
import { smsClient } from './sms';
import { logger } from './logger';

const CONFIRM_BASE = process.env.PUBLIC_URL + '/c/';
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

let jobRunning = false;

async function sendSms(to: string, body: string): Promise<string> {
  let lastErr: unknown;
  for (let attempt = 0; attempt < 5; attempt++) {
    try {
      const msg = await smsClient.messages.create({ to, from: process.env.SMS_FROM!, body });
      return msg.sid;
    } catch (err) {
      lastErr = err;
      await sleep(500);
    }
  }
  throw lastErr;
}

async function sendDueReminders() {
  const due = await db('appointments as a')
    .join('patients as p', 'p.id', 'a.patient_id')
    .join('practices as pr', 'pr.id', 'a.practice_id')
    .where('a.status', 'booked')
    .whereNull('a.reminder_sent_at')
    .whereBetween('a.starts_at', [db.raw('now()'), db.raw("now() + interval '48 hours'")])
    .select('a.id', 'a.starts_at', 'p.mobile', 'p.first_name', 'pr.name as practice_name')
    .limit(200);

  for (const appt of due) {
    const token = crypto.randomBytes(16).toString('base64url');
    await db('confirm_tokens').insert({
      token,
      appointment_id: appt.id,
      expires_at: db.raw("now() + interval '48 hours'"),
    });

    const when = new Date(appt.starts_at).toLocaleString('en-GB', { weekday: 'short', hour: '2-digit', minute: '2-digit' });
    try {
      await sendSms(
        appt.mobile,
        `Hi ${appt.first_name}, reminder of your ${appt.practice_name} appointment ${when}. Confirm: ${CONFIRM_BASE}${token}`,
      );
      await db('appointments').where({ id: appt.id }).update({ reminder_sent_at: db.fn.now() });
    } catch (err) {
      logger.error({ err, appointmentId: appt.id }, 'reminder sms failed');
    }
  }
}

export function registerReminders(app: Express) {
  cron.schedule('*/15 * * * *', async () => {
    if (jobRunning) return; // previous run still going
    jobRunning = true;
    try {
      await sendDueReminders();
    } catch (err) {
      logger.error({ err }, 'reminder job failed');
    } finally {
      jobRunning = false;
    }
  });

  // patient taps the link in the SMS
  app.get('/c/:token', async (req: Request, res: Response) => {
    const row = await db('confirm_tokens')
      .where({ token: req.params.token })
      .andWhere('expires_at', '>', db.fn.now())
      .first();
    if (!row) return res.status(410).send('This link has expired. Please call the practice.');

    await db('appointments')
      .where({ id: row.appointment_id, status: 'booked' })
      .update({ status: 'confirmed', confirmed_at: db.fn.now() });
    res.send('Thanks, your appointment is confirmed.');
  });
}
