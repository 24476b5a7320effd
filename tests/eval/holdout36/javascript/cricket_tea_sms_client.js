// lib/teaRotaNotifier.js
// Village cricket club tea rosters: the evening before a home fixture, everyone on the
// tea rota gets a reminder text. Messages go out through the SMS provider's batch endpoint.
const axios = require('axios');
const logger = require('./logger');

const sms = axios.create({
  baseURL: process.env.SMS_API_BASE || 'https://api.sms-provider.example/v2',
  timeout: 5000,
  headers: { Authorization: `Bearer ${process.env.SMS_API_TOKEN}` },
});

const MAX_ATTEMPTS = 4;
const BASE_DELAY_MS = 500;
const MAX_DELAY_MS = 8000;

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

function isRetryable(err) {
  if (!err.response) return true; // network error or timeout
  const status = err.response.status;
  return status === 429 || status >= 500;
}

// Exponential backoff with full jitter, capped both in delay and in attempts.
async function withRetry(fn, label) {
  for (let attempt = 1; ; attempt++) {
    try {
      return await fn();
    } catch (err) {
      if (attempt >= MAX_ATTEMPTS || !isRetryable(err)) {
        logger.error({ err: err.message, status: err.response?.status, attempt, label }, 'SMS call failed');
        throw err;
      }
      const ceiling = Math.min(MAX_DELAY_MS, BASE_DELAY_MS * 2 ** (attempt - 1));
      const delay = Math.floor(Math.random() * ceiling);
      logger.warn({ attempt, delay, label }, 'SMS call failed, retrying');
      await sleep(delay);
    }
  }
}

function reminderText(duty, fixture) {
  const items = duty.bringing.length ? ` You're down for: ${duty.bringing.join(', ')}.` : '';
  return (
    `${fixture.clubName} CC: you're on teas tomorrow v ${fixture.opposition} ` +
    `(${fixture.ground}, start ${fixture.startTime}).${items} Tea interval approx ${fixture.teaTime}.`
  );
}

/**
 * Sends reminders for one fixture. `duties` come from the roster query
 * (members on the tea rota for this fixture, already filtered to those with a phone number).
 * The batch id is derived from the fixture so a re-run of the job does not double-send.
 */
async function sendTeaReminders(fixture, duties) {
  if (duties.length === 0) return { sent: 0 };

  const messages = duties.map((duty) => ({
    to: duty.phone,
    body: reminderText(duty, fixture),
    clientRef: `tea-${fixture.id}-${duty.memberId}`,
  }));

  const response = await withRetry(
    () =>
      sms.post('/messages/batch', {
        batchId: `tea-reminders-${fixture.id}`,
        sender: fixture.clubShortName.slice(0, 11),
        messages,
      }),
    `fixture ${fixture.id}`
  );

  logger.info({ fixtureId: fixture.id, accepted: response.data.accepted }, 'tea reminders queued');
  return { sent: response.data.accepted };
}

module.exports = { sendTeaReminders, withRetry };
