import json

from fastapi import Depends, FastAPI
from sqlalchemy import text
from sqlalchemy.orm import Session

from .db import SessionLocal, get_db

app = FastAPI()

TOP_ARTISTS_SQL = text("""
    SELECT a.id, a.name, a.image_url, a.genre, COUNT(f.id) AS follower_count
    FROM artists a
    LEFT JOIN follows f ON f.artist_id = a.id
    WHERE a.active
    GROUP BY a.id, a.name, a.image_url, a.genre
    ORDER BY follower_count DESC
    LIMIT 100
""")


def refresh_onboarding_artists() -> None:
    """Nightly job (cron, 2 AM): rank the artists once and store the list as JSON."""
    with SessionLocal() as db:
        rows = db.execute(TOP_ARTISTS_SQL).mappings().all()
        payload = json.dumps({"artists": [dict(row) for row in rows]}, default=str)
        db.execute(
            text("INSERT INTO precomputed (name, payload, computed_at) "
                 "VALUES ('onboarding_artists', :payload, now()) "
                 "ON CONFLICT (name) DO UPDATE SET payload = :payload, computed_at = now()"),
            {"payload": payload},
        )
        db.commit()


@app.get("/onboarding/artists")
def onboarding_artists(db: Session = Depends(get_db)):
    # One indexed row read: the list the nightly job stored.
    payload = db.execute(
        text("SELECT payload FROM precomputed WHERE name = 'onboarding_artists'")
    ).scalar_one()
    return json.loads(payload)


if __name__ == "__main__":
    refresh_onboarding_artists()
