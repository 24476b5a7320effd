# sales/views.py  -- the dashboard bits, rest of the file omitted

class LeaderboardView(LoginRequiredMixin, TemplateView):
    """
    Landing page for sales reps. The office TVs keep this open and
    auto-refresh it every 30s. `sales_deal` is ~40M rows across all orgs.
    """
    template_name = "sales/leaderboard.html"

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        org = self.request.user.profile.org
        year_start = timezone.now().replace(month=1, day=1, hour=0, minute=0, second=0, microsecond=0)

        top = list(
            Deal.objects.filter(org=org, stage="won", closed_at__gte=year_start)
            .values("owner_id")
            .annotate(total=Sum("amount"), deals=Count("id"), avg_size=Avg("amount"))
            .order_by("-total")[:25]
        )

        rows = []
        for rank, entry in enumerate(top, start=1):
            rep = User.objects.get(pk=entry["owner_id"])
            rows.append({
                "rank": rank,
                "name": rep.get_full_name() or rep.username,
                "total": entry["total"],
                "deals": entry["deals"],
                "avg_size": entry["avg_size"],
            })

        ctx["rows"] = rows
        ctx["year"] = year_start.year
        return ctx


class MyDealsView(LoginRequiredMixin, ListView):
    template_name = "sales/my_deals.html"
    paginate_by = 50
    context_object_name = "deals"

    def get_queryset(self):
        return (
            Deal.objects.filter(org=self.request.user.profile.org, owner=self.request.user)
            .select_related("account", "primary_contact")
            .order_by("-updated_at")
        )


class DealDetailView(LoginRequiredMixin, DetailView):
    template_name = "sales/deal_detail.html"
    context_object_name = "deal"

    def get_queryset(self):
        return (
            Deal.objects.filter(org=self.request.user.profile.org)
            .select_related("account", "owner")
            .prefetch_related("notes__author")
        )

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        ctx["can_edit"] = self.object.owner_id == self.request.user.id or self.request.user.is_staff
