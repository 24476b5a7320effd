# loans/views.py  -- Lucky Ace Pawn (single store, one Postgres DB)
import logging
from decimal import Decimal, InvalidOperation

from django.contrib.auth.decorators import login_required, permission_required
from django.core.paginator import Paginator
from django.db import IntegrityError, transaction
from django.db.models import F
from django.http import JsonResponse
from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.views.decorators.http import require_GET, require_POST

from .models import Loan, LoanPayment, PawnItem
from .tickets import next_ticket_number

log = logging.getLogger(__name__)


@login_required
@require_GET
def loan_list(request):
    qs = Loan.objects.select_related("customer", "item").order_by("-created_at")
    if request.GET.get("status"):
        qs = qs.filter(status=request.GET["status"])
    page = Paginator(qs, 50).get_page(request.GET.get("page"))
    return JsonResponse({
        "page": page.number,
        "pages": page.paginator.num_pages,
        "results": [
            {"ticket": l.ticket_no, "customer": l.customer.full_name, "item": l.item.description,
             "principal": str(l.principal), "balance": str(l.balance), "due": l.due_date.isoformat(),
             "status": l.status}
            for l in page.object_list
        ],
    })


@login_required
@require_GET
def item_detail(request, item_id):
    item = get_object_or_404(PawnItem, pk=item_id)
    return JsonResponse({"id": item.id, "description": item.description, "serial": item.serial_no,
                         "appraised": str(item.appraised_value), "bin": item.storage_bin})


@login_required
@permission_required("loans.add_loan", raise_exception=True)
@require_POST
def open_loan(request, item_id):
    item = get_object_or_404(PawnItem, pk=item_id, status=PawnItem.Status.INTAKE)
    principal = Decimal(request.POST["principal"])
    try:
        with transaction.atomic():
            loan = Loan.objects.create(
                ticket_no=next_ticket_number(),   # unique=True on the column
                customer_id=item.customer_id, item=item, principal=principal, balance=principal,
                due_date=timezone.localdate() + timezone.timedelta(days=30),
            )
            PawnItem.objects.filter(pk=item.pk).update(status=PawnItem.Status.PLEDGED)
    except IntegrityError:
        log.warning("ticket collision for item %s", item_id)
        return JsonResponse({"error": "ticket number taken, please retry"}, status=409)
    return JsonResponse({"ticket": loan.ticket_no, "due": loan.due_date.isoformat()}, status=201)


@login_required
@require_POST
def take_payment(request, ticket_no):
    try:
        amount = Decimal(request.POST["amount"])
    except (KeyError, InvalidOperation):
        return JsonResponse({"error": "amount required"}, status=400)
    if amount <= 0:
        return JsonResponse({"error": "amount must be positive"}, status=400)

    try:
        with transaction.atomic():
            loan = Loan.objects.select_for_update().get(ticket_no=ticket_no, status=Loan.Status.ACTIVE)
            if amount > loan.balance:
                return JsonResponse({"error": f"balance is only {loan.balance}"}, status=422)
            Loan.objects.filter(pk=loan.pk).update(balance=F("balance") - amount)
            LoanPayment.objects.create(loan=loan, amount=amount, clerk=request.user)
            loan.refresh_from_db(fields=["balance"])
            if loan.balance == 0:
                loan.status = Loan.Status.REDEEMED
                loan.save(update_fields=["status"])
                PawnItem.objects.filter(pk=loan.item_id).update(status=PawnItem.Status.REDEEMED)
    except Loan.DoesNotExist:
        return JsonResponse({"error": "no active loan with that ticket"}, status=404)
    except Exception:
        log.exception("payment failed for ticket %s", ticket_no)
        raise
    return JsonResponse({"ticket": ticket_no, "balance": str(loan.balance), "status": loan.status})
