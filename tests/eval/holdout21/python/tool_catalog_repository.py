class ToolCatalogRepository:
    """Read side of the tool library catalogue.

    One deployment serves every library in the network; each library is a
    tenant, so every statement below carries library_id.
    """

    MAX_PAGE = 100

    def __init__(self, session: Session, library_id: int):
        self.session = session
        self.library_id = library_id

    def search(
        self,
        q: str | None = None,
        category: str | None = None,
        after_id: int | None = None,
        limit: int = 30,
    ) -> list[ToolItem]:
        stmt = select(ToolItem).where(
            ToolItem.library_id == self.library_id,
            ToolItem.retired.is_(False),
        )
        if q:
            stmt = stmt.where(ToolItem.name.ilike(f"%{q}%"))
        if category:
            stmt = stmt.where(ToolItem.category == category)
        if after_id:
            stmt = stmt.where(ToolItem.id > after_id)
        stmt = stmt.order_by(ToolItem.id).limit(min(limit, self.MAX_PAGE))
        return list(self.session.scalars(stmt))

    def due_back_for(self, items: list[ToolItem]) -> dict[int, date]:
        """Earliest due date of the open loans for a page of items, in one query."""
        ids = [item.id for item in items]
        if not ids:
            return {}
        rows = self.session.execute(
            select(Loan.tool_id, func.min(Loan.due_back))
            .where(
                Loan.library_id == self.library_id,
                Loan.tool_id.in_(ids),
                Loan.returned_at.is_(None),
            )
            .group_by(Loan.tool_id)
        )
        return {tool_id: due for tool_id, due in rows}

    def member_loans(self, member_id: int, limit: int = 25) -> list[Loan]:
        return list(
            self.session.scalars(
                select(Loan)
                .options(selectinload(Loan.tool))
                .where(Loan.library_id == self.library_id, Loan.member_id == member_id)
                .order_by(Loan.borrowed_at.desc())
                .limit(min(limit, self.MAX_PAGE))
            )
        )


@lru_cache(maxsize=1)
def safety_categories() -> frozenset[str]:
    """Categories that need an induction before borrowing (shipped with the app)."""
    with open(SAFETY_CATEGORIES_FILE, encoding="utf-8") as fh:
        return frozenset(line.strip() for line in fh if line.strip())


@bp.get("/catalogue")
@member_required
def catalogue():
    repo = ToolCatalogRepository(db.session, g.member.library_id)
    items = repo.search(
        q=request.args.get("q"),
        category=request.args.get("category"),
        after_id=request.args.get("after", type=int),
        limit=request.args.get("limit", default=30, type=int),
    )
    due = repo.due_back_for(items)
    needs_induction = safety_categories()
    return jsonify(
        items=[
            {
                "id": item.id,
                "name": item.name,
                "category": item.category,
                "available": item.id not in due,
                "due_back": due[item.id].isoformat() if item.id in due else None,
                "induction_required": item.category in needs_induction,
            }
            for item in items
        ],
        next_after=items[-1].id if items else None,
    )
