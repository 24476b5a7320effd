"""Sync open pull requests from GitHub into our review dashboard (runs from a cron job)."""
import logging
import time

import requests

from .db import session_scope
from .models import PullRequest

log = logging.getLogger(__name__)
GITHUB = "https://api.github.com"
HEADERS = {"Accept": "application/vnd.github+json"}


def fetch_json(url: str, token: str) -> dict:
    for attempt in range(4):
        resp = requests.get(url, headers={**HEADERS, "Authorization": f"Bearer {token}"}, timeout=15)
        if resp.status_code == 403 and resp.headers.get("X-RateLimit-Remaining") == "0":
            reset = int(resp.headers.get("X-RateLimit-Reset", time.time() + 60))
            time.sleep(max(0, reset - time.time()))
            continue
        resp.raise_for_status()
        return resp.json()
    raise RuntimeError(f"GitHub kept rate limiting {url}")


def sync_repo(repo: str, token: str) -> int:
    pulls = fetch_json(f"{GITHUB}/repos/{repo}/pulls?state=open&per_page=100", token)
    with session_scope() as s:
        for pr in pulls:
            reviews = requests.get(
                f"{GITHUB}/repos/{repo}/pulls/{pr['number']}/reviews",
                headers={**HEADERS, "Authorization": f"Bearer {token}"},
                timeout=15,
            ).json()
            s.merge(
                PullRequest(
                    repo=repo,
                    number=pr["number"],
                    title=pr["title"],
                    approvals=sum(1 for r in reviews if r["state"] == "APPROVED"),
                )
            )
    return len(pulls)
