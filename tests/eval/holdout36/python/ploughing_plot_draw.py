# ploughing/services.py
#
# Plot draw for the ploughing match. Each competitor entered in a class
# (vintage tractor, horse, reversible, ...) draws a plot number on the morning.
# The secretary's laptop and the steward's tablets all call draw_plot().


class PlotDraw(models.Model):
    match_class = models.ForeignKey("ploughing.MatchClass", on_delete=models.CASCADE)
    competitor = models.ForeignKey("ploughing.Competitor", on_delete=models.CASCADE)
    plot_number = models.PositiveSmallIntegerField()
    drawn_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["match_class", "plot_number"], name="one_competitor_per_plot"),
            models.UniqueConstraint(fields=["match_class", "competitor"], name="one_plot_per_competitor"),
        ]


class DrawClosed(Exception):
    pass


class NoPlotsLeft(Exception):
    pass


def draw_plot(match_class_id: int, competitor_id: int) -> PlotDraw:
    from ploughing.models import MatchClass

    with transaction.atomic():
        # Lock the class row so two stewards drawing at once queue up here
        # rather than both seeing the same free plots.
        match_class = MatchClass.objects.select_for_update().get(pk=match_class_id)
        if match_class.draw_closed:
            raise DrawClosed(match_class_id)

        existing = PlotDraw.objects.filter(match_class=match_class, competitor_id=competitor_id).first()
        if existing is not None:
            return existing

        taken = set(
            PlotDraw.objects.filter(match_class=match_class).values_list("plot_number", flat=True)
        )
        free = [n for n in range(1, match_class.plot_count + 1) if n not in taken]
        if not free:
            raise NoPlotsLeft(match_class_id)

        try:
            with transaction.atomic():
                return PlotDraw.objects.create(
                    match_class=match_class,
                    competitor_id=competitor_id,
                    plot_number=random.SystemRandom().choice(free),
                )
        except IntegrityError:
            log.exception(
                "plot draw constraint hit for class %s competitor %s", match_class_id, competitor_id
            )
            raise


def draw_sheet(match_class_id: int) -> list[dict]:
    """Printed sheet for the field stewards, in plot order."""
    return list(
        PlotDraw.objects.filter(match_class_id=match_class_id)
        .select_related("competitor")
        .order_by("plot_number")
        .values("plot_number", "competitor__name", "competitor__village")[:200]
    )
