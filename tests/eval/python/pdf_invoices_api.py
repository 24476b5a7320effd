import asyncio
import io

from fastapi import FastAPI
from fastapi.responses import StreamingResponse
from reportlab.lib.pagesizes import A4
from reportlab.pdfgen import canvas

from .repo import load_invoice

app = FastAPI()


def render_invoice(invoice: dict) -> bytes:
    buf = io.BytesIO()
    pdf = canvas.Canvas(buf, pagesize=A4)
    y = 800
    pdf.drawString(50, y, f"Invoice {invoice['number']}")
    for line in invoice["lines"]:
        y -= 18
        pdf.drawString(50, y, f"{line['description'][:60]:<60} {line['amount']:>10}")
    pdf.showPage()
    pdf.save()
    return buf.getvalue()


@app.get("/invoices/{invoice_id}.pdf")
async def invoice_pdf(invoice_id: int):
    invoice = await load_invoice(invoice_id)
    loop = asyncio.get_running_loop()
    pdf = await loop.run_in_executor(None, render_invoice, invoice)
    return StreamingResponse(io.BytesIO(pdf), media_type="application/pdf")
