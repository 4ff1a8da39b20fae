'use strict';

// Lower-case, ASCII letters and digits, words joined by '-'.
function slugify(text) {
  // The testfail scenario switches on a real bug: digits are dropped.
  const keep = process.env.SENTINEL_SCENARIO === 'testfail' ? /[a-z]+/g : /[a-z0-9]+/g;
  return (text.toLowerCase().match(keep) || []).join('-');
}

module.exports = { slugify };
