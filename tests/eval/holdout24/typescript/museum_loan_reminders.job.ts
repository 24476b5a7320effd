// jobs/loanReturnReminders.ts
// Nightly job (k8s CronJob, 02:15): for object loans ending in the next 14 days, issue a
// one-time link the lender's registrar uses to book the return courier slot, and email it.
import axios from 'axios';
import crypto from 'node:crypto';
import { Pool } from 'pg';
import { logger } from '../logger';

const pool = new Pool({ connectionString: process.env.DATABASE_URL, max: 3, statement_timeout: 30_000 });

const mailer = axios.create({
  baseURL: 'https://api.mailprovider.example/v3',
  headers: { Authorization: `Bearer ${process.env.MAIL_API_KEY}` },
});

const LINK_VALID_DAYS = 7;
const PUBLIC_BASE = process.env.PUBLIC_BASE_URL ?? 'https://loans.museum.example';

interface DueLoan {
  loan_id: string;
  object_title: string;
  lender_name: string;
  registrar_email: string;
  ends_on: string;
  token: string;
}

async function issueReturnLinks(): Promise<DueLoan[]> {
  // One statement: one fresh token per loan that ends soon and has no live link yet.
  const { rows } = await pool.query<DueLoan>(
    `WITH due AS (
       SELECT l.id, l.object_title, l.lender_name, l.registrar_email, l.ends_on
         FROM object_loans l
        WHERE l.status = 'on_loan'
          AND l.ends_on BETWEEN current_date AND current_date + 14
          AND NOT EXISTS (
                SELECT 1 FROM return_booking_tokens t
                 WHERE t.loan_id = l.id AND t.expires_at > now() AND t.used_at IS NULL)
     ), ins AS (
       INSERT INTO return_booking_tokens (loan_id, token, expires_at)
       SELECT id, encode(gen_random_bytes(24), 'hex'), now() + make_interval(days => $1)
         FROM due
       RETURNING loan_id, token
     )
     SELECT d.id AS loan_id, d.object_title, d.lender_name, d.registrar_email, d.ends_on, i.token
       FROM due d JOIN ins i ON i.loan_id = d.id`,
    [LINK_VALID_DAYS],
  );
  return rows;
}

// Used by the public booking page: GET /return-booking/:token
export async function redeemToken(token: string) {
  const { rows } = await pool.query(
    `UPDATE return_booking_tokens SET used_at = now()
      WHERE token = $1 AND used_at IS NULL AND expires_at > now()
      RETURNING loan_id`,
    [token],
  );
  return rows[0]?.loan_id ?? null;
}

export async function run(): Promise<void> {
  const runId = crypto.randomUUID();
  const due = await issueReturnLinks();
  if (due.length === 0) {
    logger.info({ runId }, 'no loans due for return links');
    return;
  }

  // The provider's batch endpoint takes up to 500 messages per call.
  for (let i = 0; i < due.length; i += 500) {
    const chunk = due.slice(i, i + 500);
    await mailer.post('/mail/batch', {
      messages: chunk.map((l) => ({
        to: l.registrar_email,
        template: 'loan-return-booking',
        vars: {
          lender: l.lender_name,
          object: l.object_title,
          endsOn: l.ends_on,
          link: `${PUBLIC_BASE}/return-booking/${l.token}`,
        },
      })),
    });
  }
  logger.info({ runId, links: due.length }, 'return booking links issued');
}
