"""Post-contest log cross-check for the VHF activity contest.

Every QSO claimed in one log is matched against the other station's log
(callsign, band, time within 10 minutes, exchanged serial). It is pure
Python and CPU-bound, so the work is spread over processes, one batch of
logs per task. Run from cron on the results box after the log deadline.
"""
import logging
import os
from collections import defaultdict
from concurrent.futures import ProcessPoolExecutor, as_completed
from datetime import timedelta

import psycopg
from psycopg.rows import dict_row

log = logging.getLogger("crosscheck")

DSN = os.environ["CONTEST_DSN"]
TIME_TOLERANCE = timedelta(minutes=10)
BATCH = 200


def load_qsos(conn, contest_id: int) -> dict[str, list[dict]]:
    """All QSOs of one contest keyed by the logging station (one query, streamed)."""
    by_station = defaultdict(list)
    with conn.cursor(name="qsos", row_factory=dict_row) as cur:
        cur.itersize = 5000
        cur.execute(
            """SELECT q.id, l.callsign AS station, q.their_call, q.band, q.qso_at, q.sent_serial, q.rcvd_serial
                 FROM qsos q JOIN contest_logs l ON l.id = q.log_id
                WHERE l.contest_id = %s""",
            (contest_id,),
        )
        for row in cur:
            by_station[row["station"]].append(row)
    return by_station


def check_batch(stations: list[str], all_qsos: dict[str, list[dict]]) -> list[tuple[int, str]]:
    verdicts = []
    for station in stations:
        for q in all_qsos[station]:
            other = all_qsos.get(q["their_call"])
            if other is None:
                verdicts.append((q["id"], "unique"))
                continue
            match = next(
                (
                    o for o in other
                    if o["their_call"] == station
                    and o["band"] == q["band"]
                    and abs(o["qso_at"] - q["qso_at"]) <= TIME_TOLERANCE
                ),
                None,
            )
            if match is None:
                verdicts.append((q["id"], "not_in_log"))
            elif match["sent_serial"] != q["rcvd_serial"]:
                verdicts.append((q["id"], "bad_exchange"))
            else:
                verdicts.append((q["id"], "ok"))
    return verdicts


def run(contest_id: int) -> None:
    with psycopg.connect(DSN, connect_timeout=10) as conn:
        all_qsos = load_qsos(conn, contest_id)
        stations = sorted(all_qsos)
        batches = [stations[i : i + BATCH] for i in range(0, len(stations), BATCH)]
        log.info("cross-checking %d logs in %d batches", len(stations), len(batches))

        with ProcessPoolExecutor(max_workers=os.cpu_count()) as pool:
            futures = [pool.submit(check_batch, b, all_qsos) for b in batches]
            for fut in as_completed(futures):
                verdicts = fut.result()
                with conn.cursor() as cur:
                    cur.executemany("UPDATE qsos SET verdict = %s WHERE id = %s", [(v, i) for i, v in verdicts])
                conn.commit()
