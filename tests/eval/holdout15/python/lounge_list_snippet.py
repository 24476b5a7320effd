# is this ok? /lounges was slow (joins amenities + hours) so I added a cache
_lounge_cache = {}

@router.get("/lounges", response_model=list[LoungeOut])
def list_lounges(airport: str, member: Member = Depends(current_member), db: Session = Depends(get_db)):
    key = f"{member.id}:{airport.upper()}"
    if key not in _lounge_cache:
        rows = (db.query(Lounge).options(joinedload(Lounge.amenities), joinedload(Lounge.hours))
                .filter(Lounge.airport_code == airport.upper(), Lounge.active.is_(True)).all())
        _lounge_cache[key] = [LoungeOut.from_orm(r) for r in rows]
    return _lounge_cache[key]
