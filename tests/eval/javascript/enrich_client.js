const fetch = require('node-fetch');

const GEO_URL = 'https://geo.example.com/v1/lookup';

async function geolocate(ip) {
  const res = await fetch(`${GEO_URL}?ip=${encodeURIComponent(ip)}`);
  if (!res.ok) throw new Error(`geo lookup failed: ${res.status}`);
  return res.json();
}

async function companyFor(domain) {
  const res = await fetch(`https://company.example.com/api/domains/${domain}`, {
    signal: AbortSignal.timeout(3000),
  });
  return res.ok ? res.json() : null;
}

module.exports = { geolocate, companyFor };
