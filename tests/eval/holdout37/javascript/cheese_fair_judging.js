// Cheese fair stall judging: judges claim a judging sheet on their tablet,
// score each criterion, and submit. A claim lasts 15 minutes so a sheet is
// never stuck if a judge wanders off to the cider tent.

const { Pool } = require('pg');
const cron = require('node-cron');
const logger = require('./logger');

const pool = new Pool({
  connectionString: process.env.DATABASE_URL,
  max: 10,
  connectionTimeoutMillis: 3000,
  statement_timeout: 5000,
});

const CRITERIA = ['appearance', 'aroma', 'texture', 'flavour', 'finish'];

// Claim a sheet. sheet_claims has PRIMARY KEY (sheet_id); an existing claim
// is only taken over once it has expired, in the same statement.
async function claimSheet(sheetId, judgeId) {
  const { rowCount } = await pool.query(
    `INSERT INTO sheet_claims (sheet_id, judge_id, expires_at)
     VALUES ($1, $2, now() + interval '15 minutes')
     ON CONFLICT (sheet_id) DO UPDATE
        SET judge_id = EXCLUDED.judge_id, expires_at = EXCLUDED.expires_at
      WHERE sheet_claims.expires_at < now() OR sheet_claims.judge_id = EXCLUDED.judge_id`,
    [sheetId, judgeId]
  );
  return rowCount === 1;
}

// Submit scores for a claimed sheet. The claim row is locked for the
// duration so it cannot expire-and-transfer halfway through.
async function submitScores(sheetId, judgeId, scores) {
  const client = await pool.connect();
  try {
    await client.query('BEGIN');
    const { rows } = await client.query(
      'SELECT judge_id, expires_at > now() AS live FROM sheet_claims WHERE sheet_id = $1 FOR UPDATE',
      [sheetId]
    );
    if (rows.length === 0 || rows[0].judge_id !== judgeId || !rows[0].live) {
      await client.query('ROLLBACK');
      return { ok: false, reason: 'claim-lost' };
    }

    const values = CRITERIA.map((c) => Number(scores[c] ?? 0));
    await client.query(
      `INSERT INTO stall_scores (sheet_id, judge_id, criterion, score)
       SELECT $1, $2, c, s FROM unnest($3::text[], $4::int[]) AS t(c, s)
       ON CONFLICT (sheet_id, criterion) DO UPDATE SET score = EXCLUDED.score, judge_id = EXCLUDED.judge_id`,
      [sheetId, judgeId, CRITERIA, values]
    );
    await client.query("UPDATE judging_sheets SET status = 'scored', scored_at = now() WHERE id = $1", [sheetId]);
    await client.query('DELETE FROM sheet_claims WHERE sheet_id = $1', [sheetId]);
    await client.query('COMMIT');
    return { ok: true };
  } catch (err) {
    await client.query('ROLLBACK');
    logger.error({ err, sheetId, judgeId }, 'score submission failed');
    throw err;
  } finally {
    client.release();
  }
}

// Housekeeping: abandoned claims are removed every ten minutes.
function scheduleClaimCleanup() {
  return cron.schedule('*/10 * * * *', async () => {
    try {
      const { rowCount } = await pool.query("DELETE FROM sheet_claims WHERE expires_at < now() - interval '5 minutes'");
      if (rowCount) logger.info({ rowCount }, 'expired sheet claims removed');
    } catch (err) {
      logger.error({ err }, 'sheet claim cleanup failed');
    }
  });
}

module.exports = { claimSheet, submitScores, scheduleClaimCleanup };
