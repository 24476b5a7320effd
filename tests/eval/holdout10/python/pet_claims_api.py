# claims/api.py
"""
DRF viewset for pet insurance claims.

Adjusters open a claim in the back-office and hit "AI summary", which reads
every attached vet invoice / clinical note and produces a short summary plus
a suggested payout category.
"""
from functools import lru_cache

from django.db import transaction
from openai import OpenAI
from rest_framework import permissions, status, viewsets
from rest_framework.decorators import action
from rest_framework.pagination import PageNumberPagination
from rest_framework.response import Response

from .models import Claim, ClaimDocument
from .ocr import extract_text
from .serializers import ClaimSerializer

client = OpenAI()

SUMMARY_PROMPT = (
    "You are assisting a pet insurance claims adjuster. Summarise the document below in "
    "3 bullet points (diagnosis, treatment, cost) and flag anything that looks pre-existing."
)


@lru_cache(maxsize=None)
def document_text(document_id: int) -> str:
    """OCR is slow, so keep the extracted text around once we have it."""
    doc = ClaimDocument.objects.get(pk=document_id)
    return extract_text(doc.file.path)


def summarise(text: str) -> str:
    completion = client.chat.completions.create(
        model="gpt-4o-mini",
        messages=[
            {"role": "system", "content": SUMMARY_PROMPT},
            {"role": "user", "content": text[:20000]},
        ],
        temperature=0.2,
    )
    return completion.choices[0].message.content


class ClaimPage(PageNumberPagination):
    page_size = 25
    max_page_size = 100


class ClaimViewSet(viewsets.ModelViewSet):
    serializer_class = ClaimSerializer
    pagination_class = ClaimPage
    permission_classes = [permissions.IsAuthenticated]

    def get_queryset(self):
        return (
            Claim.objects.filter(policy__insurer=self.request.user.insurer)
            .select_related("policy", "pet")
            .prefetch_related("documents")
            .order_by("-submitted_at")
        )

    @action(detail=True, methods=["post"], url_path="ai-summary")
    def ai_summary(self, request, pk=None):
        claim = self.get_object()
        documents = list(claim.documents.all())
        if not documents:
            return Response({"detail": "No documents attached"}, status=status.HTTP_400_BAD_REQUEST)

        summaries = []
        for doc in documents:
            summaries.append({"document_id": doc.id, "name": doc.original_name,
                              "summary": summarise(document_text(doc.id))})

        overall = summarise("\n\n".join(s["summary"] for s in summaries))

        with transaction.atomic():
            claim.ai_summary = overall
            claim.save(update_fields=["ai_summary"])
        return Response({"claim": claim.id, "overall": overall, "documents": summaries})
