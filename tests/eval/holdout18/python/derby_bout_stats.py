# stats page for the league site was slow so I added lru_cache -- is this fine?
# (flask app, gunicorn, bouts get scored live from the bench tablet)
from functools import lru_cache

@lru_cache(maxsize=None)
def skater_bout_stats(bout_id: int, skater_id: int) -> dict:
    jams = db.session.query(Jam).filter_by(bout_id=bout_id).all()
    lead = sum(1 for j in jams if j.lead_jammer_id == skater_id)
    points = sum(j.points_for(skater_id) for j in jams)
    penalties = Penalty.query.filter_by(bout_id=bout_id, skater_id=skater_id).count()
    return {"jams": len(jams), "lead": lead, "points": points, "penalties": penalties}

@app.get("/bouts/<int:bout_id>/skaters/<int:skater_id>")
def skater_stats(bout_id, skater_id):
    return jsonify(skater_bout_stats(bout_id, skater_id)
