// this is the part that records spend after each win notice from the exchange,
// called from the /win endpoint (~3k req/s at peak). can you make it faster?

    @Transactional
    public boolean recordWin(long campaignId, long priceMicros) {
        Campaign campaign = campaignRepository.findById(campaignId)
                .orElseThrow(() -> new CampaignNotFoundException(campaignId));

        long newSpend = campaign.getSpentTodayMicros() + priceMicros;
        campaign.setSpentTodayMicros(newSpend);

        if (newSpend >= campaign.getDailyBudgetMicros()) {
            campaign.setStatus(CampaignStatus.PAUSED_BUDGET);
            pacingEvents.publish(new BudgetExhausted(campaignId, newSpend));
        }

        campaignRepository.save(campaign);
        return campaign.getStatus() == CampaignStatus.ACTIVE;
    }
