// routes/swarmReports.js
// Members of the public report honeybee swarms; registered collectors claim
// them from the map and go and collect them.
const express = require("express");
const axios = require("axios");
const { PrismaClient } = require("@prisma/client");
const { requireCollector } = require("../middleware/auth");

const prisma = new PrismaClient();
const router = express.Router();

const GEOCODER_URL = process.env.GEOCODER_URL || "https://geocode.internal.example/reverse";
const PAGE_SIZE = 50;

async function describeLocation(lat, lng) {
  // Reverse-geocode so collectors see "Lower Field, Hatherleigh" instead of raw coordinates.
  const { data } = await axios.get(GEOCODER_URL, {
    params: { lat, lon: lng, format: "json" },
  });
  return data.display_name || `${lat.toFixed(4)}, ${lng.toFixed(4)}`;
}

router.post("/swarms", async (req, res, next) => {
  try {
    const { lat, lng, height, reporterPhone, notes } = req.body;
    if (typeof lat !== "number" || typeof lng !== "number") {
      return res.status(400).json({ error: "lat and lng are required" });
    }
    const locality = await describeLocation(lat, lng);
    const report = await prisma.swarmReport.create({
      data: {
        lat,
        lng,
        locality,
        heightMetres: height ?? null,
        reporterPhone,
        notes: notes?.slice(0, 500) ?? null,
        status: "OPEN",
      },
    });
    res.status(201).json({ id: report.id, locality });
  } catch (err) {
    next(err);
  }
});

router.get("/swarms/open", requireCollector, async (req, res, next) => {
  try {
    const cursor = req.query.cursor ? Number(req.query.cursor) : undefined;
    const swarms = await prisma.swarmReport.findMany({
      where: { status: "OPEN" },
      orderBy: { id: "desc" },
      take: PAGE_SIZE,
      ...(cursor ? { skip: 1, cursor: { id: cursor } } : {}),
      select: { id: true, lat: true, lng: true, locality: true, heightMetres: true, createdAt: true },
    });
    res.json({ swarms, nextCursor: swarms.length === PAGE_SIZE ? swarms[swarms.length - 1].id : null });
  } catch (err) {
    next(err);
  }
});

// A collector taps "I'll take it" on the map. Only one collector should drive out.
router.post("/swarms/:id/claim", requireCollector, async (req, res, next) => {
  try {
    const id = Number(req.params.id);
    const swarm = await prisma.swarmReport.findUnique({ where: { id } });
    if (!swarm) {
      return res.status(404).json({ error: "unknown swarm" });
    }
    if (swarm.status !== "OPEN" || swarm.claimedById) {
      return res.status(409).json({ error: "already claimed" });
    }

    const claimed = await prisma.swarmReport.update({
      where: { id },
      data: {
        status: "CLAIMED",
        claimedById: req.user.id,
        claimedAt: new Date(),
      },
    });

    res.json({ id: claimed.id, reporterPhone: claimed.reporterPhone });
  } catch (err) {
    next(err);
  }
});

module.exports = router;
