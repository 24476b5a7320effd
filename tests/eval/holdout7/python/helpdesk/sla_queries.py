"""SLA data access for the helpdesk.

Schema notes:
  tickets(id, org_id, assignee_id, priority, status, first_response_due_at, ...)
  agents(id, org_id, name, email, ...)
  sla_policy_templates(id, name, first_response_mins, resolution_mins)
      -- global catalogue shared by every org, no tenant column by design
  org_sla_daily_mv  -- materialized view, REFRESH ... CONCURRENTLY every 10 min by pg_cron
"""
import os
from dataclasses import dataclass

from psycopg.rows import dict_row
from psycopg_pool import ConnectionPool

pool = ConnectionPool(
    conninfo=os.environ["HELPDESK_DSN"],
    min_size=2,
    max_size=10,
    timeout=5,
    kwargs={"row_factory": dict_row, "options": "-c statement_timeout=5000"},
)

PAGE_SIZE = 200


@dataclass
class Breach:
    ticket_id: int
    assignee_id: int | None
    priority: str


def get_policy_template(template_id: int) -> dict | None:
    with pool.connection() as conn:
        return conn.execute(
            "SELECT id, name, first_response_mins, resolution_mins "
            "FROM sla_policy_templates WHERE id = %s",
            (template_id,),
        ).fetchone()


def dashboard_counts(org_id: int) -> list[dict]:
    with pool.connection() as conn:
        return conn.execute(
            "SELECT day, breached, met, median_first_response_mins "
            "FROM org_sla_daily_mv WHERE org_id = %s ORDER BY day DESC LIMIT 30",
            (org_id,),
        ).fetchall()


def breached_page(org_id: int, after_id: int = 0) -> list[Breach]:
    with pool.connection() as conn:
        rows = conn.execute(
            """
            SELECT id, assignee_id, priority
            FROM tickets
            WHERE org_id = %s
              AND status IN ('open', 'pending')
              AND first_response_due_at < now()
              AND escalated_at IS NULL
              AND id > %s
            ORDER BY id
            LIMIT %s
            """,
            (org_id, after_id, PAGE_SIZE),
        ).fetchall()
    return [Breach(r["id"], r["assignee_id"], r["priority"]) for r in rows]


def load_agents(org_id: int, agent_ids: list[int]) -> dict[int, dict]:
    if not agent_ids:
        return {}
    with pool.connection() as conn:
        rows = conn.execute(
            "SELECT id, name, email FROM agents WHERE org_id = %s AND id = ANY(%s)",
            (org_id, agent_ids),
        ).fetchall()
    return {r["id"]: r for r in rows}


def escalate_breaches(org_id: int, notify) -> int:
    """Mark breached tickets as escalated and notify their assignees, one page at a time."""
    total = 0
    after_id = 0
    while True:
        page = breached_page(org_id, after_id)
        if not page:
            break
        agents = load_agents(org_id, sorted({b.assignee_id for b in page if b.assignee_id}))
        ids = [b.ticket_id for b in page]
        with pool.connection() as conn:
            conn.execute(
                "UPDATE tickets SET escalated_at = now() "
                "WHERE org_id = %s AND id = ANY(%s) AND escalated_at IS NULL",
                (org_id, ids),
            )
        # notify() enqueues one batch message per page for the mailer worker
        notify([(b, agents.get(b.assignee_id)) for b in page])
        total += len(page)
        after_id = page[-1].ticket_id
    return total
