#!/usr/bin/env python3
"""Generate weekly timetables for every school in the district.

Each school is solved independently (local search, pure Python), so we fan
out over processes. Single run from the admin's laptop or the nightly CI job:

    python timetable.py data/district.json --out build/timetables/
"""
import argparse
import json
import random
from concurrent.futures import ProcessPoolExecutor
from functools import lru_cache
from pathlib import Path

DAYS = ["mon", "tue", "wed", "thu", "fri"]
PERIODS = range(1, 8)

# filled once by load_rooms() before solving; read-only afterwards
ROOM_INDEX: dict[str, dict] = {}


def load_rooms(district: dict) -> None:
    for school in district["schools"]:
        for room in school["rooms"]:
            ROOM_INDEX[room["id"]] = room


@lru_cache(maxsize=1024)
def room_fits(room_id: str, group_size: int, needs_lab: bool) -> bool:
    room = ROOM_INDEX[room_id]
    return room["capacity"] >= group_size and (room["is_lab"] or not needs_lab)


def cost(assign: dict, lessons: list[dict]) -> int:
    seen_teacher, seen_room, penalty = set(), set(), 0
    for lesson, (day, period, room_id) in zip(lessons, assign.values()):
        t = (lesson["teacher"], day, period)
        r = (room_id, day, period)
        penalty += 10 * (t in seen_teacher) + 10 * (r in seen_room)
        penalty += 0 if room_fits(room_id, lesson["size"], lesson["lab"]) else 5
        seen_teacher.add(t)
        seen_room.add(r)
    return penalty


def solve_school(school: dict, iterations: int = 200_000, seed: int = 7) -> dict:
    rnd = random.Random(seed)
    rooms = [r["id"] for r in school["rooms"]]
    lessons = school["lessons"]
    assign = {i: (rnd.choice(DAYS), rnd.choice(PERIODS), rnd.choice(rooms)) for i in range(len(lessons))}
    best = cost(assign, lessons)
    for _ in range(iterations):
        i = rnd.randrange(len(lessons))
        old = assign[i]
        assign[i] = (rnd.choice(DAYS), rnd.choice(PERIODS), rnd.choice(rooms))
        c = cost(assign, lessons)
        if c <= best:
            best = c
        else:
            assign[i] = old
    return {"school": school["id"], "penalty": best, "slots": assign}


def _init_worker(district: dict) -> None:
    load_rooms(district)


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("district_file")
    ap.add_argument("--out", default="build/timetables")
    args = ap.parse_args()

    district = json.loads(Path(args.district_file).read_text())
    out_dir = Path(args.out)
    out_dir.mkdir(parents=True, exist_ok=True)

    with ProcessPoolExecutor(initializer=_init_worker, initargs=(district,)) as pool:
        for result in pool.map(solve_school, district["schools"]):
            (out_dir / f"{result['school']}.json").write_text(json.dumps(result, indent=2))
            print(f"{result['school']}: penalty {result['penalty']}")


if __name__ == "__main__":
    main()
