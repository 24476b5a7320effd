import os

from fastapi import FastAPI, HTTPException
from psycopg_pool import ConnectionPool

app = FastAPI()
DATABASE_URL = os.environ["DATABASE_URL"]
# One pool per process, opened once: requests borrow a connection and give it back.
pool = ConnectionPool(DATABASE_URL, min_size=2, max_size=10, timeout=5, kwargs={"connect_timeout": 5})


@app.get("/api/products/{sku}/stock")
def product_stock(sku: str):
    with pool.connection() as conn:
        rows = conn.execute(
            "SELECT s.warehouse, s.quantity FROM stock s "
            "JOIN products p ON p.id = s.product_id WHERE p.sku = %s",
            (sku,),
        ).fetchall()
    if not rows:
        raise HTTPException(404, "Unknown product")
    return {"sku": sku, "stock": {warehouse: qty for warehouse, qty in rows}}
