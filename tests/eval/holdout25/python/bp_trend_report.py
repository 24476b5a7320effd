# Blood-pressure home monitoring: per-patient trend analysis for clinicians.
# Fragment from reports/trends.py

import statistics
from concurrent.futures import ThreadPoolExecutor

_trend_cache = {}


def _smooth(values, window=7):
    out = []
    for i in range(len(values)):
        lo = max(0, i - window + 1)
        out.append(sum(values[lo:i + 1]) / (i + 1 - lo))
    return out


def _morning_surge(readings):
    """Mean morning-minus-evening systolic difference across all days."""
    by_day = {}
    for r in readings:
        bucket = by_day.setdefault(r.taken_at.date(), {"am": [], "pm": []})
        (bucket["am"] if r.taken_at.hour < 12 else bucket["pm"]).append(r.systolic)
    diffs = [statistics.mean(b["am"]) - statistics.mean(b["pm"])
             for b in by_day.values() if b["am"] and b["pm"]]
    return statistics.mean(diffs) if diffs else None


def compute_trend(patient_id, readings):
    """Smoothing, variability and surge detection over up to 5 years of
    twice-daily readings (~3,600 points per patient)."""
    key = (patient_id, len(readings), readings[-1].id if readings else None)
    if key in _trend_cache:
        return _trend_cache[key]

    systolic = [r.systolic for r in readings]
    diastolic = [r.diastolic for r in readings]
    result = {
        "patient_id": patient_id,
        "systolic_smoothed": _smooth(systolic, 14),
        "diastolic_smoothed": _smooth(diastolic, 14),
        "systolic_sd": statistics.pstdev(systolic) if systolic else None,
        "morning_surge": _morning_surge(readings),
    }
    _trend_cache[key] = result
    return result


def clinic_trend_report(repo, clinic_id):
    """Nightly report for the clinic's whole panel (a few hundred patients)."""
    patients = repo.active_patients(clinic_id=clinic_id)
    readings = repo.readings_for_patients(
        clinic_id=clinic_id, patient_ids=[p.id for p in patients]
    )  # one query, grouped by patient id

    with ThreadPoolExecutor(max_workers=8) as pool:
        futures = {
            pool.submit(compute_trend, p.id, readings.get(p.id, [])): p
            for p in patients
        }
        report = []
        for fut, patient in futures.items():
            trend = fut.result()
            report.append({
                "patient": patient.display_name,
                "surge": trend["morning_surge"],
                "sd": trend["systolic_sd"],
            })
    report.sort(key=lambda row: (row["surge"] or 0), reverse=True)
    return report
