// why does this 504 for big customers?? nginx proxy_read_timeout is 30s
// (pg pool + s3 client are set up in ../infra)

router.get('/workspaces/:wsId/links/export', requireWorkspaceAdmin, async (req: Request, res: Response) => {
  const { wsId } = req.params;
  const links = await pool.query<{ slug: string; target_url: string }>(
    'SELECT slug, target_url FROM links WHERE workspace_id = $1 ORDER BY created_at LIMIT 5000',
    [wsId],
  );

  let csv = 'slug,target_url,clicked_at,country,referrer\n';
  const clicks = await pool.query(
    `SELECT l.slug, l.target_url, c.clicked_at, c.country, c.referrer
       FROM clicks c JOIN links l ON l.slug = c.slug
      WHERE l.workspace_id = $1
      ORDER BY c.clicked_at`,
    [wsId],
  );
  for (const c of clicks.rows) {
    csv += `${c.slug},${c.target_url},${c.clicked_at.toISOString()},${c.country},${c.referrer ?? ''}\n`;
  }

  const key = `exports/${wsId}/${Date.now()}.csv`;
  await s3.send(new PutObjectCommand({ Bucket: process.env.EXPORT_BUCKET, Key: key, Body: csv }));
  const url = await getSignedUrl(s3, new GetObjectCommand({ Bucket: process.env.EXPORT_BUCKET, Key: key }), { expiresIn: 3600 });

  res.json({ url, links: links.rowCount );
});
