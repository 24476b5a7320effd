const axios = require('axios');
const axiosRetry = require('axios-retry').default;

const payments = axios.create({ baseURL: 'https://api.payments.example', timeout: 10000 });
axiosRetry(payments, {
  retries: 3,
  retryDelay: axiosRetry.exponentialDelay,
  retryCondition: (err) => axiosRetry.isNetworkOrIdempotentRequestError(err),
});

async function capture(paymentId, idempotencyKey) {
  const { data } = await payments.post(`/payments/${paymentId}/capture`, null, {
    headers: { 'Idempotency-Key': idempotencyKey },
  });
  return data;
}

async function fxRate(from, to) {
  const { data } = await axios.get(`https://fx.example.com/latest?base=${from}&symbols=${to}`);
  return data.rates[to];
}

module.exports = { capture, fxRate };
