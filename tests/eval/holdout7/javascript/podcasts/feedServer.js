// feed server - serves public RSS for hosted shows
// started with: pm2 start feedServer.js -i 4
var express = require('express');
var mysql = require('mysql2/promise');
var RSS = require('rss');

var db = mysql.createPool({ host: process.env.DB_HOST, user: 'feeds', database: 'podhost', connectionLimit: 10 });
var app = express();

// slug -> { xml, builtAt }
var feeds = new Map();
var FEED_MAX_AGE = 5 * 60 * 1000;

async function buildFeed(slug) {
  var [shows] = await db.query('SELECT * FROM shows WHERE slug = ? AND published = 1', [slug]);
  if (!shows.length) return null;
  var show = shows[0];

  var [episodes] = await db.query(
    'SELECT id, title, description, published_at, guid FROM episodes WHERE show_id = ? AND status = "published" ORDER BY published_at DESC LIMIT 300',
    [show.id]
  );

  var feed = new RSS({
    title: show.title,
    description: show.description,
    feed_url: 'https://feeds.podhost.io/' + slug,
    site_url: show.website_url,
    image_url: show.artwork_url,
    custom_namespaces: { itunes: 'http://www.itunes.com/dtds/podcast-1.0.dtd' },
  });

  for (var ep of episodes) {
    var [media] = await db.query('SELECT url, bytes, mime, duration_s FROM media_files WHERE episode_id = ? AND kind = "audio" LIMIT 1', [ep.id]);
    if (!media.length) continue;
    feed.item({
      title: ep.title,
      description: ep.description,
      guid: ep.guid,
      date: ep.published_at,
      enclosure: { url: media[0].url, size: media[0].bytes, type: media[0].mime },
      custom_elements: [{ 'itunes:duration': media[0].duration_s }],
    });
  }
  return feed.xml({ indent: false });
}

app.get('/:slug', async function (req, res) {
  var slug = req.params.slug;
  var hit = feeds.get(slug);
  if (hit && Date.now() - hit.builtAt < FEED_MAX_AGE) {
    res.type('application/rss+xml');
    return res.send(hit.xml);
  }
  try {
    var xml = await buildFeed(slug);
    if (!xml) return res.status(404).send('not found');
    feeds.set(slug, { xml: xml, builtAt: Date.now() });
    res.type('application/rss+xml');
    res.send(xml);
  } catch (e) {
    console.error('feed build failed', slug, e);
    res.status(500).send('error');
  }
});

app.listen(process.env.PORT || 8081);
