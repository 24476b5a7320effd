import os

import psycopg
from fastapi import FastAPI, HTTPException

app = FastAPI()
DATABASE_URL = os.environ["DATABASE_URL"]


@app.get("/api/products/{sku}/stock")
def product_stock(sku: str):
    with psycopg.connect(DATABASE_URL, connect_timeout=5) as conn:
        rows = conn.execute(
            "SELECT s.warehouse, s.quantity FROM stock s "
            "JOIN products p ON p.id = s.product_id WHERE p.sku = %s",
            (sku,),
        ).fetchall()
    if not rows:
        raise HTTPException(404, "Unknown product")
    return {"sku": sku, "stock": {warehouse: qty for warehouse, qty in rows}}
