# nightly: parse the water-meter dumps (one CSV per district, ~2M rows each) and
# compute per-meter consumption. Took 40 min single-threaded so I added threads.
# Is this ok?
import csv
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path


def consumption(path):
    last, totals = {}, {}
    with open(path, newline="") as f:
        for meter_id, _ts, reading in csv.reader(f):
            value = float(reading)
            if meter_id in last:
                totals[meter_id] = totals.get(meter_id, 0.0) + max(0.0, value - last[meter_id])
            last[meter_id] = value
    return path.stem, totals


dumps = sorted(Path("/srv/meters/incoming").glob("district_*.csv"))
with ThreadPoolExecutor(max_workers=8) as ex:
    results = dict(ex.map(consumption, dumps))
