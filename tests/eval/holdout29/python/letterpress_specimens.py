"""Specimen previews for the letterpress studio's type loan catalogue.

Members browse the wood and metal type cases they can borrow; each case gets
a rendered preview of a sample line at the sizes in the case. Served from the
Flask app (gunicorn, 2 workers) behind the studio website.
"""
from concurrent.futures import ThreadPoolExecutor
from io import BytesIO

from flask import Blueprint, abort, request, send_file
from PIL import Image

from .models import TypeCase
from .glyphs import load_glyph_bitmaps

bp = Blueprint("specimens", __name__)

# (case_id, sample_text, point_size) -> PNG bytes
_preview_cache = {}

INK = (24, 22, 20)
PAPER = (246, 240, 226)


def _render_line(case: TypeCase, sample: str, point_size: int) -> Image.Image:
    """Compose a line of type pixel by pixel, with a little ink spread so it
    looks like a real impression rather than a digital font."""
    glyphs = load_glyph_bitmaps(case.id, point_size)  # dict[str, list[list[int]]]
    height = point_size * 2
    width = sum(len(glyphs.get(ch, glyphs[" "])[0]) for ch in sample) + 20
    img = Image.new("RGB", (width, height), PAPER)
    px = img.load()

    x_offset = 10
    for ch in sample:
        bitmap = glyphs.get(ch, glyphs[" "])
        for y, row in enumerate(bitmap):
            for x, coverage in enumerate(row):
                if coverage == 0:
                    continue
                # simple ink spread: darken neighbours a little
                for dx in (-1, 0, 1):
                    for dy in (-1, 0, 1):
                        tx, ty = x_offset + x + dx, y + dy + point_size // 2
                        if 0 <= tx < width and 0 <= ty < height:
                            weight = coverage / 255 * (1.0 if dx == dy == 0 else 0.15)
                            r, g, b = px[tx, ty]
                            px[tx, ty] = (
                                int(r - (r - INK[0]) * weight),
                                int(g - (g - INK[1]) * weight),
                                int(b - (b - INK[2]) * weight),
                            )
        x_offset += len(bitmap[0])
    return img


def _stack(lines: list[Image.Image]) -> bytes:
    width = max(im.width for im in lines)
    sheet = Image.new("RGB", (width, sum(im.height for im in lines)), PAPER)
    y = 0
    for im in lines:
        sheet.paste(im, (0, y))
        y += im.height
    buf = BytesIO()
    sheet.save(buf, format="PNG", optimize=True)
    return buf.getvalue()


@bp.get("/cases/<int:case_id>/specimen.png")
def case_specimen(case_id: int):
    case = TypeCase.query.get(case_id)
    if case is None or not case.loanable:
        abort(404)
    sample = request.args.get("text", case.default_sample)[:40]

    key = (case_id, sample, tuple(case.point_sizes))
    png = _preview_cache.get(key)
    if png is None:
        with ThreadPoolExecutor(max_workers=len(case.point_sizes)) as pool:
            lines = list(pool.map(lambda size: _render_line(case, sample, size), case.point_sizes))
        png = _stack(lines)
        _preview_cache[key] = png

    return send_file(BytesIO(png), mimetype="image/png", max_age=3600)
