'use strict';
// services/distributorOrders.js  (legacy - still on Sequelize v5, TS port pending)
// used by routes/orders.js and the nightly truck-loading job

var Sequelize = require('sequelize');
var Op = Sequelize.Op;
var models = require('../models');
var Order = models.Order, OrderLine = models.OrderLine, Keg = models.Keg;

// manifests are immutable once an order ships, so keep them around
var manifestCache = {};

function buildManifest(orderId) {
  if (manifestCache[orderId]) return Promise.resolve(manifestCache[orderId]);
  return Order.findByPk(orderId, {
    include: [{ model: OrderLine, as: 'lines', include: [{ model: Keg, as: 'kegs' }] }],
  }).then(function (order) {
    if (!order) return null;
    var m = {
      orderId: order.id,
      distributor: order.distributorId,
      lines: order.lines.map(function (l) {
        return { sku: l.sku, qty: l.qty, kegSerials: l.kegs.map(function (k) { return k.serial; }) };
      }),
    };
    if (order.status === 'shipped') manifestCache[orderId] = m;
    return m;
  });
}

// stops for one truck route on one day, with what goes on the truck
async function openOrdersForRoute(routeId, deliveryDate) {
  var orders = await Order.findAll({
    where: {
      routeId: routeId,
      deliveryDate: deliveryDate,
      status: { [Op.in]: ['confirmed', 'picked'] },
    },
    order: [['stopSeq', 'ASC']],
  });

  var stops = [];
  for (var i = 0; i < orders.length; i++) {
    var o = orders[i];
    var lines = await OrderLine.findAll({ where: { orderId: o.id }, attributes: ['sku', 'qty', 'format'] });
    var halfBbl = 0, sixtel = 0;
    lines.forEach(function (l) {
      if (l.format === '1/2') halfBbl += l.qty;
      else if (l.format === '1/6') sixtel += l.qty;
    });
    stops.push({ orderId: o.id, account: o.accountName, stop: o.stopSeq, halfBbl: halfBbl, sixtel: sixtel, lines: lines });
  }
  return stops;
}

async function markPicked(orderId, pickerId) {
  var n = await Order.update(
    { status: 'picked', pickedBy: pickerId, pickedAt: new Date() },
    { where: { id: orderId, status: 'confirmed' } }
  );
  if (n[0] === 0) {
    var e = new Error('order not in confirmed state');
    e.status = 409;
    throw e;
  }
}

module.exports = { buildManifest: buildManifest, openOrdersForRoute: openOrdersForRoute, markPicked: markPicked };
