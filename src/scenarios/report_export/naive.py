import io

from fastapi import Depends, FastAPI
from fastapi.responses import StreamingResponse
from openpyxl import Workbook
from sqlalchemy.orm import Session

from .db import get_db
from .models import Order

app = FastAPI()


@app.post("/reports/yearly/{year}")
def yearly_report(year: int, db: Session = Depends(get_db)):
    wb = Workbook()
    ws = wb.active
    ws.append(["Order", "Customer", "Country", "Total", "Paid at"])
    orders = db.query(Order).filter(Order.year == year).all()
    for order in orders:
        ws.append([order.id, order.customer.name, order.customer.country,
                   order.total, order.paid_at.isoformat()])
    buf = io.BytesIO()
    wb.save(buf)
    buf.seek(0)
    return StreamingResponse(
        buf,
        media_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        headers={"Content-Disposition": f"attachment; filename=orders-{year}.xlsx"},
    )
