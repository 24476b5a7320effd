# quotes/views.py -- stained-glass repair quotes
#
# The conservator uploads photos of every light in a window (a big east window
# is 30-60 photos straight off the camera, 24 MP each). We estimate the number
# of pieces, the length of leading and the cracked area per light, then build
# the quote PDF the parish can take to the DAC.
from concurrent.futures import ThreadPoolExecutor

from django.contrib.auth.decorators import login_required
from django.core.files.base import ContentFile
from django.http import JsonResponse
from django.shortcuts import get_object_or_404
from django.views.decorators.http import require_POST
from PIL import Image

from quotes.models import PanelPhoto, RepairQuote
from quotes.pdf import render_quote_pdf

RATE_PER_PIECE = 4.20       # GBP, re-leading
RATE_PER_CRACK_CM2 = 0.85   # GBP, copper-foil / edge-bond repair


def _estimate_light(path: str) -> dict:
    """Walk the pixels: dark runs are lead came, bright speckle is a crack."""
    img = Image.open(path).convert("L")
    width, height = img.size
    px = img.load()
    lead_px = crack_px = 0
    regions = 0
    for y in range(1, height - 1):
        in_lead = False
        for x in range(1, width - 1):
            v = px[x, y]
            if v < 40:
                lead_px += 1
                if not in_lead:
                    regions += 1
                    in_lead = True
            else:
                in_lead = False
                if v > 235 and abs(px[x - 1, y] - px[x + 1, y]) > 120:
                    crack_px += 1
    return {
        "pieces": max(regions // max(height // 40, 1), 1),
        "lead_cm": lead_px / 38.0,
        "crack_cm2": crack_px / 1444.0,
    }


def estimate_window(paths: list[str]) -> list[dict]:
    with ThreadPoolExecutor(max_workers=8) as pool:
        return list(pool.map(_estimate_light, paths))


@login_required
@require_POST
def build_quote(request, quote_id):
    quote = get_object_or_404(RepairQuote, pk=quote_id, conservator=request.user)
    photos = list(
        PanelPhoto.objects.filter(quote=quote).order_by("light_number").values_list("image", flat=True)
    )
    if not photos:
        return JsonResponse({"error": "upload the panel photos first"}, status=400)

    estimates = estimate_window([quote.photo_root / p for p in photos])

    pieces = sum(e["pieces"] for e in estimates)
    crack_area = sum(e["crack_cm2"] for e in estimates)
    quote.pieces_estimate = pieces
    quote.crack_area_cm2 = round(crack_area, 1)
    quote.total_gbp = round(pieces * RATE_PER_PIECE + crack_area * RATE_PER_CRACK_CM2, 2)

    pdf_bytes = render_quote_pdf(quote, estimates)
    quote.pdf.save(f"quote-{quote.pk}.pdf", ContentFile(pdf_bytes), save=False)
    quote.save()

    return JsonResponse(
        {
            "quote_id": quote.pk,
            "lights": len(estimates),
            "pieces": pieces,
            "total_gbp": str(quote.total_gbp),
            "pdf": quote.pdf.url,
        }
    )
