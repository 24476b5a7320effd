# lending/views.py — staff screens for the Eastfield tool library
import csv

from django.contrib.admin.views.decorators import staff_member_required
from django.http import HttpResponse, JsonResponse
from django.utils import timezone
from django.views.decorators.http import require_GET

from .models import Loan, Reservation, Tool


@staff_member_required
@require_GET
def overdue_loans(request):
    """Loans past their due date, with how many members are waiting for each tool.

    The front-desk volunteers use the waiting count to decide who to chase first.
    """
    now = timezone.now()
    overdue = (
        Loan.objects.filter(returned_at__isnull=True, due_at__lt=now)
        .select_related("tool", "member")
        .order_by("due_at")[:200]
    )

    rows = []
    for loan in overdue:
        waiting = Reservation.objects.filter(tool_id=loan.tool_id, fulfilled=False).count()
        rows.append(
            {
                "loan_id": loan.id,
                "tool": loan.tool.name,
                "member": loan.member.get_full_name(),
                "phone": loan.member.phone,
                "days_overdue": (now - loan.due_at).days,
                "waiting": waiting,
            }
        )

    rows.sort(key=lambda r: (-r["waiting"], -r["days_overdue"]))
    return JsonResponse({"overdue": rows})


@staff_member_required
@require_GET
def loan_history(request):
    """Every loan the library has made, newest first, for the history table."""
    loans = (
        Loan.objects.select_related("tool", "member")
        .order_by("-borrowed_at")
        .values(
            "id",
            "tool__name",
            "tool__category",
            "member__email",
            "borrowed_at",
            "due_at",
            "returned_at",
        )
    )
    return JsonResponse({"loans": list(loans)})


@staff_member_required
@require_GET
def tool_condition_export(request):
    """CSV of tools flagged for repair, for the Tuesday fix-it volunteers."""
    response = HttpResponse(content_type="text/csv")
    response["Content-Disposition"] = 'attachment; filename="repairs.csv"'
    writer = csv.writer(response)
    writer.writerow(["id", "name", "category", "condition_note", "flagged_at"])
    flagged = Tool.objects.filter(needs_repair=True, retired=False).order_by("flagged_at")[:500]
    for tool in flagged:
        writer.writerow([tool.id, tool.name, tool.category, tool.condition_note, tool.flagged_at])
    return response
