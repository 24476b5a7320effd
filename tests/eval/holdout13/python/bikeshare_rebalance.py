# rebalance planner, runs nightly from cron on the ops box.
# ~1,800 docks -> building the cost matrix takes ~40 min. I added threads to
# speed it up but it's not faster at all?? what am I missing
import json
import math
import sys
from concurrent.futures import ThreadPoolExecutor

docks = json.load(open(sys.argv[1]))  # [{"id":..,"lat":..,"lng":..,"bikes":..,"slots":..}, ...]


def haversine(a, b):
    r = 6371.0
    p1, p2 = math.radians(a["lat"]), math.radians(b["lat"])
    dp, dl = p2 - p1, math.radians(b["lng"] - a["lng"])
    h = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * r * math.asin(math.sqrt(h))


def cost_row(i):
    src = docks[i]
    surplus = src["bikes"] - src["slots"] // 2
    return [haversine(src, dst) * (1 + abs(surplus - (dst["slots"] // 2 - dst["bikes"])) / 10)
            for dst in docks]


with ThreadPoolExecutor(max_workers=8) as ex:
    matrix = list(ex.map(cost_row, range(len(docks))))

json.dump({"ids": [d["id"] for d in docks], "cost": matrix}, open("cost_matrix.json", "w"))
