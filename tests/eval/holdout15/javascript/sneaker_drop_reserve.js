// is this safe for the 10am drop? expecting ~20k people hitting it at once
app.post('/drops/:sku/reserve', requireUser, async (req, res) => {
  const key = `drop:${req.params.sku}:stock`;
  const left = Number(await redis.get(key));
  if (left <= 0) return res.status(410).json({ error: 'sold out' });

  await redis.decr(key);
  await redis.rpush(`drop:${req.params.sku}:winners`, req.user.id);
  res.json({ ok: true, position: left });
});
