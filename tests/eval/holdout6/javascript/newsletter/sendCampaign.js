var express = require('express');
var fetch = require('node-fetch');
var knex = require('../lib/knex');
var auth = require('../lib/auth');

var router = express.Router();

var RELAY_URL = process.env.MAILRELAY_URL || 'https://api.mailrelay.example/v1/send';
var RELAY_KEY = process.env.MAILRELAY_KEY;

// app runs behind the ALB, idle timeout 60s. biggest lists are ~80k subscribers.

function sleep(ms) {
  return new Promise(function (r) { setTimeout(r, ms); });
}

function render(campaign, sub) {
  return campaign.html
    .replace(/{{first_name}}/g, sub.first_name || 'there')
    .replace(/{{unsubscribe_url}}/g, 'https://news.example.com/u/' + sub.unsubscribe_token);
}

async function deliver(campaign, sub) {
  var payload = {
    from: campaign.from_address,
    to: sub.email,
    subject: campaign.subject,
    html: render(campaign, sub),
    tags: ['campaign-' + campaign.id]
  };
  var attempts = 0;
  while (attempts < 5) {
    attempts++;
    try {
      var r = await fetch(RELAY_URL, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json', Authorization: 'Bearer ' + RELAY_KEY },
        body: JSON.stringify(payload)
      });
      if (r.ok) return true;
      if (r.status < 500 && r.status !== 429) return false;
    } catch (e) {
      console.warn('relay error for', sub.email, e.message);
    }
    await sleep(200);
  }
  return false;
}

// POST /campaigns/:id/send
router.post('/campaigns/:id/send', auth.requireAccount, async function (req, res, next) {
  try {
    var campaign = await knex('campaigns')
      .where({ id: req.params.id, account_id: req.account.id })
      .first();
    if (!campaign) return res.sendStatus(404);

    // claim the campaign so a double click doesn't send twice
    var claimed = await knex('campaigns')
      .where({ id: campaign.id, status: 'draft' })
      .update({ status: 'sending' });
    if (claimed === 0) return res.status(409).json({ error: 'campaign already sent or sending' });

    var subs = await knex('subscribers')
      .where({ list_id: campaign.list_id, account_id: req.account.id, status: 'active' })
      .select('id', 'email', 'first_name', 'unsubscribe_token');

    var sent = 0, failed = 0;
    for (var i = 0; i < subs.length; i++) {
      var ok = await deliver(campaign, subs[i]);
      if (ok) sent++; else failed++;
    }

    await knex('campaigns').where({ id: campaign.id }).update({
      status: 'sent',
      sent_count: sent,
      failed_count: failed,
      sent_at: knex.fn.now()
    });
    res.json({ sent: sent, failed: failed });
  } catch (err) {
    next(err);
  }
});

module.exports = router;
