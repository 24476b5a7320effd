STRIP_SIZE = 5
STRIP_PRICE = Decimal("1.00")


def _fete_for(request, fete_id):
    return get_object_or_404(Fete, pk=fete_id, committee=request.user.committee)


@login_required
def prize_table(request, fete_id):
    """Prizes still on the table, for the volunteer's tablet."""
    fete = _fete_for(request, fete_id)
    prizes = (
        Prize.objects.filter(fete=fete, claimed=False)
        .order_by("ticket_number")
        .values("id", "ticket_number", "description", "donated_by")[:200]
    )
    return JsonResponse({"prizes": list(prizes)})


@login_required
def recent_winners(request, fete_id):
    """Last fifty winning tickets with what they won - shown on the big screen."""
    fete = _fete_for(request, fete_id)
    tickets = (
        TombolaTicket.objects.filter(fete=fete, is_winner=True)
        .order_by("-drawn_at")[:50]
    )

    winners = []
    for ticket in tickets:
        prize = Prize.objects.filter(fete=fete, ticket_number=ticket.number).first()
        winners.append(
            {
                "ticket": ticket.number,
                "colour": ticket.colour,
                "prize": prize.description if prize else None,
                "donated_by": prize.donated_by if prize else None,
            }
        )
    return JsonResponse({"winners": winners})


@login_required
@require_POST
def sell_strip(request, fete_id):
    """Record a strip of five tickets sold at the stall.

    Ticket numbers are issued by the physical book, the volunteer just taps
    "sold" and the float total on the stall dashboard goes up.
    """
    fete = Fete.objects.get(pk=fete_id, committee=request.user.committee)

    first_number = int(request.POST["first_number"])
    colour = request.POST.get("colour", "pink")
    TombolaTicket.objects.bulk_create(
        [
            TombolaTicket(fete=fete, number=first_number + i, colour=colour)
            for i in range(STRIP_SIZE)
        ]
    )

    fete.tickets_sold = fete.tickets_sold + STRIP_SIZE
    fete.takings = fete.takings + STRIP_PRICE
    fete.save(update_fields=["tickets_sold", "takings"])

    return JsonResponse(
        {"tickets_sold": fete.tickets_sold, "takings": str(fete.takings)}
    )


@login_required
@require_POST
def mark_claimed(request, fete_id, prize_id):
    fete = _fete_for(request, fete_id)
    updated = Prize.objects.filter(
        pk=prize_id, fete=fete, claimed=False
    ).update(claimed=True)
    if not updated:
        return JsonResponse({"error": "already claimed"}, status=409)
    return JsonResponse({"ok": True})
