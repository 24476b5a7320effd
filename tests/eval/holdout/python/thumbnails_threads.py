"""Batch job: render PDF page previews for newly uploaded documents."""
import threading

import fitz  # PyMuPDF

from .storage import list_new_documents, save_preview


def render_document(doc_path: str) -> None:
    pdf = fitz.open(doc_path)
    for page_no in range(min(5, pdf.page_count)):
        pix = pdf[page_no].get_pixmap(dpi=110)
        save_preview(doc_path, page_no, pix.tobytes("png"))


def run() -> None:
    docs = list_new_documents()
    threads = [threading.Thread(target=render_document, args=(d,)) for d in docs]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
