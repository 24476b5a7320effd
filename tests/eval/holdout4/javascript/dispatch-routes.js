'use strict';

// dispatch-api: route manifests + driver assignment for the depot tablets
const Hapi = require('@hapi/hapi');
const Joi = require('joi');
const Boom = require('@hapi/boom');
const mysql = require('mysql2/promise');
const superagent = require('superagent');

const pool = mysql.createPool({
  host: process.env.DB_HOST,
  user: process.env.DB_USER,
  password: process.env.DB_PASS,
  database: 'dispatch',
  connectionLimit: 20,
  connectTimeout: 5000,
});

const PUSH_URL = process.env.DRIVER_PUSH_URL || 'http://push-gw.internal:8080';

async function pushToDriver(driverId, payload) {
  try {
    await superagent
      .post(`${PUSH_URL}/drivers/${driverId}/messages`)
      .timeout({ response: 3000, deadline: 8000 })
      .send(payload);
  } catch (err) {
    // driver app polls every 30s anyway
  }
}

const routes = [
  {
    method: 'GET',
    path: '/routes/{routeId}/manifest',
    options: { validate: { params: Joi.object({ routeId: Joi.number().integer().required() }) } },
    handler: async (request) => {
      const { routeId } = request.params;
      const [stops] = await pool.query(
        'SELECT id, stop_seq, address, window_start, window_end FROM shipments WHERE route_id = ? ORDER BY stop_seq',
        [routeId]
      );
      for (const stop of stops) {
        const [items] = await pool.query('SELECT sku, qty, weight_kg FROM shipment_items WHERE shipment_id = ?', [stop.id]);
        stop.items = items;
        stop.totalWeight = items.reduce((s, i) => s + Number(i.weight_kg), 0);
      }
      return { routeId, stops };
    },
  },
  {
    method: 'POST',
    path: '/shipments/{id}/assign',
    options: {
      validate: {
        params: Joi.object({ id: Joi.number().integer().required() }),
        payload: Joi.object({ driverId: Joi.number().integer().required() }),
      },
    },
    handler: async (request, h) => {
      const shipmentId = request.params.id;
      const { driverId } = request.payload;

      const [[driver]] = await pool.query('SELECT id, status, vehicle_capacity_kg FROM drivers WHERE id = ?', [driverId]);
      if (!driver) throw Boom.notFound('driver not found');
      if (driver.status !== 'available') throw Boom.conflict('driver is busy');

      await pool.query("UPDATE drivers SET status = 'on_route' WHERE id = ?", [driverId]);
      await pool.query('UPDATE shipments SET driver_id = ?, assigned_at = NOW() WHERE id = ?', [driverId, shipmentId]);

      await pushToDriver(driverId, { type: 'assignment', shipmentId });
      return h.response({ ok: true, shipmentId, driverId }).code(200);
    },
  },
  {
    method: 'POST',
    path: '/drivers/{id}/release',
    handler: async (request) => {
      await pool.query("UPDATE drivers SET status = 'available' WHERE id = ?", [request.params.id]);
      return { ok: true };
    },
  },
];

async function start() {
  const server = Hapi.server({ port: process.env.PORT || 4000, host: '0.0.0.0' });
  server.route(routes);
  await server.start();
  console.log('dispatch-api listening on %s', server.info.uri);
}

process.on('unhandledRejection', (err) => {
  console.error(err);
  process.exit(1);
});

start();
