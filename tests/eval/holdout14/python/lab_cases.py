"""Dental-lab case API: router -> service -> repository.

Every lab (tenant) only ever sees its own cases; `lab_id` comes from the
authenticated user via `current_lab`.
"""
from datetime import date

from fastapi import APIRouter, Depends, HTTPException, UploadFile
from sqlalchemy import select
from sqlalchemy.orm import Session

from app.auth import current_user
from app.db import get_session
from app.models import CaseScan, LabCase, ShadeGuide
from app.storage import put_object

router = APIRouter(prefix="/cases", tags=["cases"])


# ---------------------------------------------------------------- repository
class CaseRepository:
    def __init__(self, db: Session):
        self.db = db

    def list_for_lab(self, lab_id: int, status: str | None, limit: int, offset: int):
        stmt = select(LabCase).where(LabCase.lab_id == lab_id)
        if status:
            stmt = stmt.where(LabCase.status == status)
        stmt = stmt.order_by(LabCase.due_date, LabCase.id).limit(limit).offset(offset)
        return self.db.scalars(stmt).all()

    def get(self, lab_id: int, case_id: int) -> LabCase | None:
        return self.db.scalar(
            select(LabCase).where(LabCase.lab_id == lab_id, LabCase.id == case_id)
        )

    def get_by_id(self, case_id: int) -> LabCase | None:
        return self.db.get(LabCase, case_id)

    def shade(self, code: str) -> ShadeGuide | None:
        # shade_guides is a global reference table (VITA classical, 3D-Master ...)
        return self.db.get(ShadeGuide, code)


# ------------------------------------------------------------------- service
class CaseService:
    def __init__(self, repo: CaseRepository):
        self.repo = repo

    def set_shade(self, lab_id: int, case_id: int, shade_code: str) -> LabCase:
        case = self.repo.get(lab_id, case_id)
        if case is None:
            raise HTTPException(404, "case not found")
        if self.repo.shade(shade_code) is None:
            raise HTTPException(422, f"unknown shade {shade_code}")
        case.shade_code = shade_code
        self.repo.db.commit()
        return case

    def attach_scan(self, lab_id: int, case_id: int, upload: UploadFile) -> CaseScan:
        case = self.repo.get_by_id(case_id)
        if case is None:
            raise HTTPException(404, "case not found")
        key = f"labs/{case.lab_id}/cases/{case.id}/{upload.filename}"
        put_object(key, upload.file, content_type=upload.content_type)
        scan = CaseScan(case_id=case.id, object_key=key, uploaded_on=date.today())
        self.repo.db.add(scan)
        self.repo.db.commit()
        return scan


def current_lab(user=Depends(current_user)) -> int:
    return user.lab_id


def case_service(db: Session = Depends(get_session)) -> CaseService:
    return CaseService(CaseRepository(db))


# -------------------------------------------------------------------- routes
@router.get("")
def list_cases(status: str | None = None, limit: int = 50, offset: int = 0,
               lab_id: int = Depends(current_lab), svc: CaseService = Depends(case_service)):
    limit = min(limit, 200)
    return [c.to_dict() for c in svc.repo.list_for_lab(lab_id, status, limit, offset)]


@router.patch("/{case_id}/shade")
def update_shade(case_id: int, shade_code: str,
                 lab_id: int = Depends(current_lab), svc: CaseService = Depends(case_service)):
    return svc.set_shade(lab_id, case_id, shade_code).to_dict()


@router.post("/{case_id}/scans", status_code=201)
def upload_scan(case_id: int, file: UploadFile,
                lab_id: int = Depends(current_lab), svc: CaseService = Depends(case_service)):
    scan = svc.attach_scan(lab_id, case_id, file)
    return {"id": scan.id, "key": scan.object_key}
