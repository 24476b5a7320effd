"""Water-quality test results for village wells.

Each parish council is a tenant: officers log in and should only ever see the wells
and samples belonging to their own parish. Samplers are county-wide volunteers, so the
samplers table is shared across parishes.
"""
from datetime import date
from typing import Annotated

from fastapi import APIRouter, Depends, HTTPException, Query
from pydantic import BaseModel
from sqlalchemy import text
from sqlalchemy.orm import Session

from .auth import CurrentOfficer, current_officer
from .db import get_session

router = APIRouter(prefix="/wells", tags=["water-quality"])

# Drinking-water guide values used to colour the results table.
NITRATE_LIMIT_MG_L = 50.0
E_COLI_LIMIT_CFU = 0


class TestResult(BaseModel):
    id: int
    well_id: int
    sampled_on: date
    e_coli_cfu: int
    nitrate_mg_l: float
    sampler_name: str | None = None
    exceeds_guide: bool = False


def _to_result(row, sampler_name: str | None = None) -> TestResult:
    return TestResult(
        id=row["id"],
        well_id=row["well_id"],
        sampled_on=row["sampled_on"],
        e_coli_cfu=row["e_coli_cfu"],
        nitrate_mg_l=row["nitrate_mg_l"],
        sampler_name=sampler_name,
        exceeds_guide=row["e_coli_cfu"] > E_COLI_LIMIT_CFU or row["nitrate_mg_l"] > NITRATE_LIMIT_MG_L,
    )


@router.get("/{well_id}/tests", response_model=list[TestResult])
def list_tests(
    well_id: int,
    officer: Annotated[CurrentOfficer, Depends(current_officer)],
    db: Annotated[Session, Depends(get_session)],
    limit: int = Query(50, ge=1, le=200),
    before: date | None = None,
):
    """Most recent samples for one well, newest first; page with ?before=<date>."""
    rows = db.execute(
        text(
            "SELECT t.id, t.well_id, t.sampled_on, t.e_coli_cfu, t.nitrate_mg_l, t.sampler_id "
            "FROM water_tests t JOIN wells w ON w.id = t.well_id "
            "WHERE t.well_id = :well_id AND w.parish_id = :parish_id "
            "AND (CAST(:before AS date) IS NULL OR t.sampled_on < :before) "
            "ORDER BY t.sampled_on DESC LIMIT :limit"
        ),
        {"well_id": well_id, "parish_id": officer.parish_id, "before": before, "limit": limit},
    ).mappings().all()

    results = []
    for row in rows:
        # Show who took the sample so officers can follow up on odd readings.
        sampler_name = db.execute(
            text("SELECT display_name FROM samplers WHERE id = :sid"), {"sid": row["sampler_id"]}
        ).scalar_one_or_none()
        results.append(_to_result(row, sampler_name))
    return results


@router.get("/tests/{test_id}", response_model=TestResult)
def get_test(
    test_id: int,
    officer: Annotated[CurrentOfficer, Depends(current_officer)],
    db: Annotated[Session, Depends(get_session)],
):
    row = db.execute(
        text("SELECT id, well_id, sampled_on, e_coli_cfu, nitrate_mg_l FROM water_tests WHERE id = :test_id"),
        {"test_id": test_id},
    ).mappings().first()
    if row is None:
        raise HTTPException(status_code=404, detail="No such test")
    return _to_result(row)
