// Sure! Here's a helper that keeps retrying the carrier API until it answers,
// so a flaky upstream won't break the tracking page:

async function getTrackingStatus(trackingNo) {
  let attempt = 0;
  while (true) {
    attempt++;
    try {
      const res = await fetch(`https://api.parcelhub.io/v2/track/${encodeURIComponent(trackingNo)}`, {
        headers: { Authorization: `Bearer ${process.env.PARCELHUB_TOKEN}`, Accept: 'application/json' },
      });
      if (res.ok) return await res.json();
      if (res.status >= 400 && res.status < 500) {
        throw Object.assign(new Error(`parcelhub ${res.status}`), { fatal: true });
      }
      console.warn(`tracking ${trackingNo}: upstream ${res.status}, attempt ${attempt}`);
    } catch (err) {
      if (err.fatal) throw err;
      console.warn(`tracking ${trackingNo}: ${err.message}, attempt ${attempt}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
}

// usage in your route:
// app.get('/track/:no', async (req, res) => res.json(await getTrackingStatus(req.params.no)));

module.exports = { getTrackingStatus };
