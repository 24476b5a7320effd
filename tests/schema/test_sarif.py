"""The CLI's SARIF output validates against the SARIF 2.1.0 schema and carries rule metadata.

The schema file comes from an npm package installed by `scripts/setup.sh --e2e` (it is not
copied into this repository).
"""
import json
import subprocess
from pathlib import Path

import jsonschema

ROOT = Path(__file__).resolve().parents[2]
SCHEMA = ROOT / "target/tools/node_modules/@microsoft/jest-sarif/lib/schemas/sarif-2.1.0-rtm.5.json"


def run_cli(*args):
    return subprocess.run(
        ["cargo", "run", "-q", "--no-default-features", "--bin", "hazard-lab", "--", *args],
        cwd=ROOT, capture_output=True, text=True, timeout=600,
    )


def test_sarif_validates_against_the_2_1_0_schema():
    schema = json.loads(SCHEMA.read_text())
    out = run_cli("check", "tests/fixtures", "--format", "sarif")
    assert out.returncode == 1, out.stderr  # the fixtures contain hazards
    log = json.loads(out.stdout)
    jsonschema.validate(log, schema)
    assert log["version"] == "2.1.0"
    run = log["runs"][0]
    rules = run["tool"]["driver"]["rules"]
    ids = [r["id"] for r in rules]
    assert "check-then-act" in ids
    for r in rules:
        assert r["shortDescription"]["text"] and r["fullDescription"]["text"] and r["help"]["text"]
    assert run["results"], "expected results from the positive fixtures"
    for res in run["results"]:
        assert res["ruleId"] in ids
        assert ids[res["ruleIndex"]] == res["ruleId"]
        region = res["locations"][0]["physicalLocation"]["region"]
        assert region["startLine"] >= 1 and region["endLine"] >= region["startLine"]


def test_sarif_for_a_clean_file_has_no_results():
    schema = json.loads(SCHEMA.read_text())
    out = run_cli("check", "src/scenarios/seat_booking/fixed.py", "--format", "sarif")
    assert out.returncode == 0, out.stderr
    log = json.loads(out.stdout)
    jsonschema.validate(log, schema)
    assert log["runs"][0]["results"] == []
