# claims/views.py  -- adjuster portal API (DRF)
# gunicorn behind the AWS ALB, idle timeout 30s
from django.db import transaction
from django.http import HttpResponse
from rest_framework import status, viewsets
from rest_framework.decorators import action
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response

from .models import Adjuster, Claim, ClaimNote
from .pdf import merge_pdfs, render_claim_pdf
from .serializers import ClaimNoteSerializer, ClaimSerializer


class ClaimViewSet(viewsets.ModelViewSet):
    serializer_class = ClaimSerializer
    permission_classes = [IsAuthenticated]

    def get_queryset(self):
        # every carrier (org) only ever sees its own claims
        return (
            Claim.objects.filter(org_id=self.request.user.org_id)
            .select_related("adjuster", "policy", "policy__holder")
            .order_by("-opened_at")
        )

    def perform_create(self, serializer):
        serializer.save(org_id=self.request.user.org_id, opened_by=self.request.user)

    @action(detail=True, methods=["get", "post"])
    def notes(self, request, pk=None):
        claim = self.get_object()
        if request.method == "POST":
            ser = ClaimNoteSerializer(data=request.data)
            ser.is_valid(raise_exception=True)
            ser.save(claim=claim, author=request.user)
            return Response(ser.data, status=status.HTTP_201_CREATED)
        notes = claim.notes.select_related("author").order_by("-created_at")[:50]
        return Response(ClaimNoteSerializer(notes, many=True).data)

    @action(detail=True, methods=["post"])
    def reassign(self, request, pk=None):
        with transaction.atomic():
            claim = Claim.objects.select_for_update().get(pk=pk)
            adjuster = Adjuster.objects.get(
                pk=request.data["adjuster_id"], org_id=request.user.org_id, active=True
            )
            claim.adjuster = adjuster
            claim.save(update_fields=["adjuster"])
            ClaimNote.objects.create(
                claim=claim, author=request.user, body=f"Reassigned to {adjuster.name}"
            )
        return Response(ClaimSerializer(claim).data)

    @action(detail=False, methods=["get"])
    def workload(self, request):
        """Open claims per adjuster for the team-lead dashboard."""
        adjusters = Adjuster.objects.filter(org_id=request.user.org_id, active=True).order_by("name")
        out = []
        for adj in adjusters:
            open_count = Claim.objects.filter(adjuster=adj, status="open").count()
            out.append({"adjuster_id": adj.id, "name": adj.name, "open_claims": open_count})
        return Response(out)

    @action(detail=False, methods=["get"], url_path="audit-pdf")
    def audit_pdf(self, request):
        # compliance wants "one PDF with every claim of the year" for the annual audit
        year = int(request.query_params["year"])
        claims = (
            self.get_queryset()
            .filter(opened_at__year=year)
            .prefetch_related("photos", "notes")
        )
        pages = []
        for claim in claims.iterator(chunk_size=200):
            pages.append(render_claim_pdf(claim))  # ~0.4s per claim, photos embedded
        resp = HttpResponse(merge_pdfs(pages), content_type="application/pdf")
        resp["Content-Disposition"] = f'attachment; filename="claims-{year}.pdf"'
        return resp

    @action(detail=True, methods=["post"])
    def close(self, request, pk=None):
        claim = self.get_object()
        if claim.status == "closed":
            return Response({"detail": "already closed"}, status=400)
        claim.status = "closed"
        claim.closed_by = request.user
        claim.save(update_fields=["status", "closed_by"])
        # TODO notify policy holder
        return Response(ClaimSerializer(claim).data)

    @action(detail=True, methods=["post"])
    def reopen(self, request, pk=None):
        claim = self.get_object()
        reason = request.data.get("reason", "").strip()
        if not reason:
            return Response({"detail": "reason required"}, status=400
