const { pool } = require('./db');
const logger = require('./logger');

async function recordAudit(actorId, action, target) {
  try {
    await pool.query('INSERT INTO audit_log (actor_id, action, target) VALUES ($1, $2, $3)', [
      actorId,
      action,
      target,
    ]);
  } catch (e) {}
}

async function recordLogin(userId, ip) {
  try {
    await pool.query('INSERT INTO logins (user_id, ip) VALUES ($1, $2)', [userId, ip]);
  } catch (err) {
    logger.error({ err, userId }, 'failed to record login');
    throw err;
  }
}

function parseJson(text, fallback) {
  try {
    return JSON.parse(text);
  } catch {
    return fallback;
  }
}

module.exports = { recordAudit, recordLogin, parseJson };
