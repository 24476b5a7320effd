from fastapi import Depends, FastAPI
from sqlalchemy import select
from sqlalchemy.orm import Session

from .db import get_db
from .models import Customer, Order

app = FastAPI()
PAGE_SIZE = 100


@app.get("/api/orders")
def list_orders(page: int = 0, db: Session = Depends(get_db)):
    orders = db.scalars(
        select(Order)
        .order_by(Order.created_at.desc())
        .limit(PAGE_SIZE)
        .offset(page * PAGE_SIZE)
    ).all()
    rows = []
    for order in orders:
        customer = db.get(Customer, order.customer_id)
        rows.append({
            "id": order.id,
            "customer": customer.name,
            "email": customer.email,
            "total": str(order.total),
            "status": order.status,
        })
    return rows
