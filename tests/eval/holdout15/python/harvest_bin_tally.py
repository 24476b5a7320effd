# is this safe? tallies bins per picker from the scale-house CSV at end of shift
# (run by the crew lead on the office laptop: python harvest_bin_tally.py bins_2024-09-14.csv)
import csv, sys
from collections import Counter

bins = Counter()
with open(sys.argv[1], newline="") as fh:
    for row in csv.DictReader(fh):
        bins[(row["crew"], row["picker_id"])] += int(row["bins"])

for (crew, picker), n in sorted(bins.items()):
    print(f"{crew:<10} {picker:<8} {n:>4} bins  ${n * 32:.2f}")
