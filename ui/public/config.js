// Replaced at run time by `sentinel up`, which answers /config.js from its settings.
window.__SENTINEL_CONFIG__ = window.__SENTINEL_CONFIG__ || {};
