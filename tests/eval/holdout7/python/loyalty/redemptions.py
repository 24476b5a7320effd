class RedeemRewardView(APIView):
    permission_classes = [permissions.IsAuthenticated]

    def post(self, request, reward_id):
        reward = get_object_or_404(Reward, pk=reward_id, is_active=True)
        with transaction.atomic():
            account = MemberAccount.objects.select_for_update().get(user=request.user)
            if account.points_balance < reward.points_cost:
                return Response({"detail": "Not enough points"}, status=409)
            account.points_balance -= reward.points_cost
            account.save(update_fields=["points_balance"])
            redemption = Redemption.objects.create(member=account, reward=reward,
                                                   points=reward.points_cost)
        cache.delete(f"loyalty:history:{request.user.id}")
        return Response({"redemption_id": redemption.id, "balance": account.points_balance}, status=201)


class PointsHistoryView(APIView):
    permission_classes = [permissions.IsAuthenticated]

    def get(self, request):
        # history is the member's own ledger, so keying by user is correct here
        key = f"loyalty:history:{request.user.id}"
        data = cache.get(key)
        if data is None:
            txns = (PointsTransaction.objects.filter(member__user=request.user)
                    .order_by("-created_at")[:100])
            data = PointsTransactionSerializer(txns, many=True).data
            cache.set(key, data, 60)
        return Response(data
