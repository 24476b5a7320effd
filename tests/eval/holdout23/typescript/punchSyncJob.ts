// jobs/punchSync.ts
// Pulls SI-card readouts from the timing vendor's cloud while an orienteering
// race is live and loads the punches into the results DB. The scheduler runs
// syncEvent every 30 s per live event.
import axios from 'axios';
import crypto from 'node:crypto';
import { Pool } from 'pg';

const pool = new Pool({ connectionString: process.env.DATABASE_URL, max: 5, statement_timeout: 10_000 });

const vendor = axios.create({
  baseURL: process.env.TIMING_VENDOR_URL,
  headers: { 'X-Api-Key': process.env.TIMING_VENDOR_KEY ?? '' },
});

interface RawReadout {
  seq: number;
  cardNumber: string;
  readAt: string;
  punches: string; // "31@00:12:45;32@00:19:02;..." control@elapsed
}

interface Punch {
  control: string;
  seconds: number;
}

function parsePunches(raw: string): Punch[] {
  return raw.split(';').filter(Boolean).map((chunk) => {
    const [control, clock] = chunk.split('@');
    const [h, m, s] = clock.split(':').map(Number);
    if (!control || [h, m, s].some((n) => !Number.isInteger(n))) {
      throw new Error(`malformed punch "${chunk}"`);
    }
    return { control, seconds: h * 3600 + m * 60 + s };
  });
}

export async function syncEvent(eventId: string): Promise<number> {
  const { rows } = await pool.query(
    'SELECT coalesce(max(vendor_seq), 0) AS after FROM card_readouts WHERE event_id = $1',
    [eventId],
  );
  const { data } = await vendor.get<{ readouts: RawReadout[] }>(`/events/${eventId}/readouts`, {
    params: { after: rows[0].after, limit: 500 },
  });

  const seqs: number[] = [];
  const cards: string[] = [];
  const readAts: string[] = [];
  const punchJson: string[] = [];
  for (const readout of data.readouts) {
    try {
      const punches = parsePunches(readout.punches);
      seqs.push(readout.seq);
      cards.push(readout.cardNumber);
      readAts.push(readout.readAt);
      punchJson.push(JSON.stringify(punches));
    } catch (parseErr) {
      continue;
    }
  }
  if (seqs.length === 0) return 0;

  await pool.query(
    `INSERT INTO card_readouts (event_id, vendor_seq, card_number, read_at, punches)
     SELECT $1, t.seq, t.card, t.read_at, t.punches::jsonb
       FROM unnest($2::bigint[], $3::text[], $4::timestamptz[], $5::text[]) AS t(seq, card, read_at, punches)
     ON CONFLICT (event_id, vendor_seq) DO NOTHING`,
    [eventId, seqs, cards, readAts, punchJson],
  );
  return seqs.length;
}

// Volunteers in the download tent get a short-lived link for uploading
// readouts from the backup SI station when the vendor link drops.
export async function issueUploadToken(eventId: string, issuedTo: string): Promise<string> {
  const token = crypto.randomBytes(24).toString('base64url');
  await pool.query(
    `INSERT INTO punch_upload_tokens (token, event_id, issued_to, expires_at) VALUES ($1, $2, $3, now() + interval '2 hours')`,
    [token, eventId, issuedTo],
  );
  return token;
}

export async function redeemUploadToken(token: string): Promise<{ eventId: string; issuedTo: string } | null> {
  const { rows } = await pool.query(
    'SELECT event_id, issued_to FROM punch_upload_tokens WHERE token = $1 AND expires_at > now()',
    [token],
  );
  return rows[0] ? { eventId: rows[0].event_id, issuedTo: rows[0].issued_to } : null;
}
