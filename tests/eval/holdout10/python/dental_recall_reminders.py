# Good catch — the original task called `requests.post(...)` with no timeout, so a
# hung SMS gateway could pin a Celery worker forever, and the bare `except: pass`
# hid every failure. Here's a fixed version:
#
#   * one shared requests.Session, every call has a (connect, read) timeout
#   * patients are read in keyset-paginated pages of 500 and sent with the
#     gateway's bulk endpoint (one HTTP call per page, not per patient)
#   * transient errors are retried with capped exponential backoff + jitter
#   * reminders are recorded with ON CONFLICT DO NOTHING so a re-run never
#     texts the same patient twice for the same recall
#   * anything unexpected is logged and re-raised so Celery marks the task failed

import logging
import random
import time
from datetime import date

import requests
from celery import shared_task
from django.conf import settings
from django.db import connection

log = logging.getLogger(__name__)

PAGE_SIZE = 500
MAX_ATTEMPTS = 5
TIMEOUT = (3.05, 20)

http = requests.Session()
http.headers["Authorization"] = f"Bearer {settings.SMS_API_KEY}"

DUE_SQL = """
    SELECT p.id, p.first_name, p.mobile
    FROM patients p
    WHERE p.practice_id = %s AND p.recall_due_on <= %s AND p.mobile IS NOT NULL
      AND p.id > %s
      AND NOT EXISTS (SELECT 1 FROM recall_reminders r
                      WHERE r.patient_id = p.id AND r.recall_due_on = p.recall_due_on)
    ORDER BY p.id
    LIMIT %s
"""


def post_bulk(messages):
    for attempt in range(1, MAX_ATTEMPTS + 1):
        try:
            resp = http.post(settings.SMS_BULK_URL, json={"messages": messages}, timeout=TIMEOUT)
            if resp.status_code in (429, 502, 503, 504):
                raise requests.HTTPError(f"retryable status {resp.status_code}", response=resp)
            resp.raise_for_status()
            return resp.json()
        except (requests.ConnectionError, requests.Timeout, requests.HTTPError) as exc:
            retryable = not isinstance(exc, requests.HTTPError) or exc.response.status_code >= 429
            if not retryable or attempt == MAX_ATTEMPTS:
                log.error("bulk SMS failed after %d attempts: %s", attempt, exc)
                raise
            delay = min(30, 2 ** attempt) * random.uniform(0.5, 1.5)
            log.warning("bulk SMS attempt %d failed (%s); retrying in %.1fs", attempt, exc, delay)
            time.sleep(delay)


@shared_task(acks_late=True)
def send_recall_reminders(practice_id: int):
    today = date.today()
    last_id = 0
    sent = 0
    while True:
        with connection.cursor() as cur:
            cur.execute(DUE_SQL, [practice_id, today, last_id, PAGE_SIZE])
            page = cur.fetchall()
        if not page:
            break
        post_bulk([
            {"to": mobile, "body": f"Hi {first}, you're due for a check-up. Reply BOOK to schedule."}
            for _, first, mobile in page
        ])
        with connection.cursor() as cur:
            cur.executemany(
                "INSERT INTO recall_reminders (patient_id, recall_due_on, sent_at) "
                "SELECT id, recall_due_on, now() FROM patients WHERE id = %s "
                "ON CONFLICT (patient_id, recall_due_on) DO NOTHING",
                [(pid,) for pid, _, _ in page],
            )
        sent += len(page)
        last_id = page[-1][0]
    log.info("practice %s: %d recall reminders sent", practice_id, sent)
    return sent
