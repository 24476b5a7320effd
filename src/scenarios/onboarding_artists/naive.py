from fastapi import Depends, FastAPI
from sqlalchemy import text
from sqlalchemy.orm import Session

from .db import get_db

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


@app.get("/onboarding/artists")
def onboarding_artists(db: Session = Depends(get_db)):
    rows = db.execute(TOP_ARTISTS_SQL).mappings().all()
    return {"artists": [dict(row) for row in rows]}
