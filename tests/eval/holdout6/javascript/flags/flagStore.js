// flag-service/lib/flagStore.js
// Flag definitions ship with the image (config/flags.json) and only change on deploy,
// so every replica (we run 2) loads the same file once at boot. Nothing writes to FLAGS after that.
const fs = require('fs');
const path = require('path');
const { LRUCache } = require('lru-cache');
const { compileRule } = require('./ruleCompiler');

const FLAGS = new Map();

(function loadFlags() {
  const file = path.join(__dirname, '..', 'config', 'flags.json');
  const { flags } = JSON.parse(fs.readFileSync(file, 'utf8'));
  for (const def of flags) FLAGS.set(def.key, Object.freeze(def));
})();

// compiled targeting expressions, keyed by the rule source text
const compiled = new LRUCache({ max: 500 });

function ruleFn(source) {
  let fn = compiled.get(source);
  if (!fn) {
    fn = compileRule(source);
    compiled.set(source, fn);
  }
  return fn;
}

function isEnabled(flagKey, ctx) {
  const def = FLAGS.get(flagKey);
  if (!def || !def.enabled) return false;
  return def.rules.length === 0 || def.rules.some((r) => ruleFn(r)(ctx));
}

module.exports = { isEnabled, listFlags: () => [...FLAGS.values()] };
