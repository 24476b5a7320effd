"""Leads blueprint for the real-estate CRM (multi-tenant: every row has org_id)."""
from flask import Blueprint, abort, g, jsonify, render_template_string, request
from sqlalchemy import select

from .auth import require_user
from .extensions import db
from .models import Lead, LeadActivity

bp = Blueprint("leads", __name__, url_prefix="/api/leads")

PAGE_SIZE = 50
STAGES = {"new", "contacted", "viewing", "offer", "won", "lost"}


@bp.get("/")
@require_user
def list_leads():
    page = max(int(request.args.get("page", 1)), 1)
    stmt = (
        select(Lead)
        .where(Lead.org_id == g.user.org_id, Lead.archived.is_(False))
        .order_by(Lead.created_at.desc())
        .limit(PAGE_SIZE)
        .offset((page - 1) * PAGE_SIZE)
    )
    leads = db.session.scalars(stmt).all()
    return jsonify([l.to_dict() for l in leads])


@bp.get("/<int:lead_id>")
@require_user
def get_lead(lead_id):
    lead = db.session.scalar(
        select(Lead).where(Lead.id == lead_id, Lead.org_id == g.user.org_id)
    )
    if lead is None:
        abort(404)
    return jsonify(lead.to_dict())


@bp.patch("/<int:lead_id>/stage")
@require_user
def update_stage(lead_id):
    stage = (request.get_json() or {}).get("stage")
    if stage not in STAGES:
        abort(400, "unknown stage")
    lead = db.session.get(Lead, lead_id)
    if lead is None:
        abort(404)
    lead.stage = stage
    db.session.add(
        LeadActivity(org_id=lead.org_id, lead_id=lead.id, user_id=g.user.id, kind="stage", detail=stage)
    )
    db.session.commit()
    return jsonify(lead.to_dict())


@bp.get("/<int:lead_id>/activity")
@require_user
def lead_activity(lead_id):
    rows = db.session.scalars(
        select(LeadActivity)
        .where(LeadActivity.lead_id == lead_id, LeadActivity.org_id == g.user.org_id)
        .order_by(LeadActivity.created_at.desc())
        .limit(100)
    ).all()
    return jsonify([r.to_dict() for r in rows])


# Public "contact the agent" widget that agencies embed on their listing pages.
WIDGET_HTML = """<!doctype html>
<html>
<head>
  <meta charset="utf-8">
  <script src="https://cdn.tailwindcss.com"></script>
</head>
<body class="p-4 font-sans">
  <form method="post" action="/api/leads/widget/{{ org_slug }}" class="space-y-2">
    <input name="name" class="border rounded w-full p-2" placeholder="Your name">
    <input name="email" type="email" class="border rounded w-full p-2" placeholder="Email">
    <button class="bg-indigo-600 text-white rounded px-4 py-2">Contact agent</button>
  </form>
</body>
</html>"""


@bp.get("/widget/<org_slug>")
def lead_widget(org_slug):
    return render_template_string(WIDGET_HTML, org_slug=org_slug)
