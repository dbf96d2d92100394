/*
 * casebook catalogue: facets, full-text search, sort and shareable URLs on top of the
 * static catalogue page, which stays the no-JavaScript baseline.
 *
 * Data comes from the index casebook writes for each language (docs/catalogue.md):
 * catalogue.<hash>.json with the page, cards.<hash>.json when the reader first reaches for
 * a control, and text-<n>.<hash>.json chunks when a query needs them.
 *
 * After every update the document receives a `casebook:results` CustomEvent whose detail
 * is {lang, slugs, entries, total, query, filters}: the slugs of every matching practice, in
 * the order shown, and their positions in the index. `window.casebook.results` keeps the
 * last detail for late listeners, and `casebook.catalogue.entry(i)` describes entry `i`.
 */
(() => {
  'use strict';

  // ---------------------------------------------------------------------------------------
  // Text: the same rules as src/index/text.rs, so that queries meet the indexed terms.

  const SPECIAL = { 'ß': 'ss', 'æ': 'ae', 'œ': 'oe', 'ø': 'o', 'đ': 'd', 'ł': 'l', 'ı': 'i', 'ς': 'σ', '\u00b7': '', '\u2027': '' };
  const ALNUM = /[\p{Alphabetic}\p{N}]/u;
  const DIGIT = /\p{N}/u;

  /** Lowercase, without accents: `València` → `valencia`. */
  function fold(text) {
    return text.toLowerCase().normalize('NFD').replace(/\p{M}/gu, '')
      .replace(/[ßæœøđłıς\u00b7\u2027]/g, (c) => SPECIAL[c]);
  }

  /** Words of folded text, at least two characters; hyphenated words also joined. */
  function tokens(folded) {
    const out = [];
    const chars = [...folded];
    let word = '';
    let parts = [];
    const flush = () => {
      if (word) { parts.push(word); word = ''; }
      for (const p of parts) if ([...p].length > 1) out.push(p);
      if (parts.length > 1) out.push(parts.join(''));
      parts = [];
    };
    for (let i = 0; i < chars.length; i++) {
      const c = chars[i];
      if (ALNUM.test(c)) word += c;
      else if ((c === '-' || c === '\u2010') && word && i + 1 < chars.length && ALNUM.test(chars[i + 1])) {
        parts.push(word); word = '';
      } else flush();
    }
    flush();
    return out;
  }

  const STEMMERS = {
    en(s) {
      const n = s.length;
      if (n < 3 || s[n - 1] !== 's') return n;
      const b = s[n - 2];
      if (b === 'u' || b === 's') return n;
      if (b === 'e') {
        if (n > 3 && s[n - 3] === 'i' && s[n - 4] !== 'a' && s[n - 4] !== 'e') { s[n - 3] = 'y'; return n - 2; }
        if ('iaoe'.includes(s[n - 3])) return n;
      }
      return n - 1;
    },
    es(s) {
      const n = s.length;
      if (n < 5) return n;
      const e = s[n - 1];
      if (e === 'o' || e === 'a' || e === 'e') return n - 1;
      if (e === 's') {
        if (s[n - 2] === 'e' && s[n - 3] === 's' && s[n - 4] === 'e') return n - 2;
        if (s[n - 2] === 'e' && s[n - 3] === 'c') { s[n - 3] = 'z'; return n - 2; }
        if ('oae'.includes(s[n - 2])) return n - 2;
      }
      return n;
    },
    it(s) {
      const n = s.length;
      if (n < 6) return n;
      const [a, b] = [s[n - 1], s[n - 2]];
      if ((a === 'e' && (b === 'i' || b === 'h')) || (a === 'i' && (b === 'h' || b === 'i'))
        || (a === 'a' && b === 'i') || (a === 'o' && b === 'i')) return n - 2;
      if ('eiao'.includes(a)) return n - 1;
      return n;
    },
    ca(s) {
      let n = s.length;
      if (n < 5) return n;
      if (s[n - 1] === 's') n -= (s[n - 2] === 'e' || s[n - 2] === 'n') ? 2 : 1;
      if (n > 3 && 'aeio'.includes(s[n - 1])) n -= 1;
      return n;
    },
    fr(s) {
      let n = s.length;
      if (n < 6) return n;
      if (s[n - 1] === 'x') {
        if (s[n - 3] === 'a' && s[n - 2] === 'u') s[n - 2] = 'l';
        return n - 1;
      }
      for (const end of ['s', 'r', 'e']) if (s[n - 1] === end) n -= 1;
      if (s[n - 1] === s[n - 2] && /\p{Alphabetic}/u.test(s[n - 1])) n -= 1;
      return n;
    },
    de(s) {
      const n = s.length;
      if (n < 5) return n;
      if (n > 6 && s[n - 3] === 'n' && s[n - 2] === 'e' && s[n - 1] === 'n') return n - 3;
      if (n > 5) {
        const [a, b] = [s[n - 1], s[n - 2]];
        if ((a === 'n' && b === 'e') || (a === 'e' && b === 'n') || (a === 'r' && b === 'e') || (a === 's' && b === 'e')) return n - 2;
      }
      return 'nesr'.includes(s[n - 1]) ? n - 1 : n;
    },
  };

  /** The stem of a folded word; words with digits are left whole. */
  function stem(word, lang) {
    const f = STEMMERS[lang];
    if (!f || DIGIT.test(word)) return word;
    const s = [...word];
    return s.slice(0, f(s)).join('');
  }

  /** How many edits a "did you mean" may be from a word of `n` characters. */
  function maxEdits(n) {
    return n < 4 ? 0 : n < 8 ? 1 : 2;
  }

  /**
   * Edits (insert, delete, substitute, swap two neighbours) between the characters `a` and
   * `b`, or -1 when more than `max`.
   */
  function editDistance(a, b, max) {
    const n = a.length;
    const m = b.length;
    if (Math.abs(n - m) > max) return -1;
    let before = null;
    let prev = Array.from({ length: m + 1 }, (_, j) => j);
    for (let i = 1; i <= n; i++) {
      const row = [i];
      let low = i;
      for (let j = 1; j <= m; j++) {
        const cost = a[i - 1] === b[j - 1] ? 0 : 1;
        let d = Math.min(prev[j] + 1, row[j - 1] + 1, prev[j - 1] + cost);
        if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) d = Math.min(d, before[j - 2] + 1);
        row.push(d);
        if (d < low) low = d;
      }
      if (low > max) return -1;
      before = prev;
      prev = row;
    }
    return prev[m] <= max ? prev[m] : -1;
  }

  /**
   * "Did you mean": for a folded query word that matched nothing, the closest candidate
   * [term, word shown, number of entries]: fewest edits from the word to the word shown
   * (folded) or from the word's stem to the term, then the most entries, then the first.
   * The same rule as `suggest` in src/index/text.rs.
   */
  function suggest(word, lang, candidates) {
    const w = [...word];
    const max = maxEdits(w.length);
    if (!max) return null;
    const s = [...stem(word, lang)];
    let best = null;
    let bestEdits = max + 1;
    let bestCount = -1;
    for (const [term, shown, count] of candidates) {
      let d = editDistance(s, [...term], max);
      const e = editDistance(w, [...fold(shown)], max);
      if (e >= 0 && (d < 0 || e < d)) d = e;
      if (d < 0) continue;
      if (d < bestEdits || (d === bestEdits && count > bestCount)) {
        best = shown;
        bestEdits = d;
        bestCount = count;
      }
    }
    return best;
  }

  const text = { fold, tokens, stem, terms: (t, lang) => tokens(fold(t)).map((w) => stem(w, lang)), suggest, editDistance };
  const api = (window.casebook = window.casebook || {});
  api.text = text;

  // ---------------------------------------------------------------------------------------
  // The page.

  const configEl = document.getElementById('catalogue-config');
  const results = document.querySelector('.results');
  const facetsAside = document.querySelector('.facets');
  if (!configEl || !results || !facetsAside || !window.fetch) return;
  const config = JSON.parse(configEl.textContent);
  const S = config.strings;
  S.languages = Object.fromEntries(S.languages);
  const lang = config.lang;
  const SORTS = ['relevance', 'title', 'newest', 'city'];
  const catalogue = (api.catalogue = { pending: 1, ready: false });

  const el = (tag, attrs, ...children) => {
    const e = document.createElement(tag);
    for (const [k, v] of Object.entries(attrs || {})) {
      if (v === null || v === undefined || v === false) continue;
      if (k === 'class') e.className = v;
      else if (k === 'text') e.textContent = v;
      else e.setAttribute(k, v === true ? '' : v);
    }
    for (const c of children) if (c) e.append(c);
    return e;
  };
  const fill = (template, values) => template.replace(/\{(\w+)\}/g, (m, k) => (k in values ? values[k] : m));
  const number = new Intl.NumberFormat(lang);
  const plural = new Intl.PluralRules(lang);
  const countText = (shown, total) =>
    fill(plural.select(total) === 'one' ? S.results_one : S.results_other, { shown: number.format(shown), n: number.format(total) });

  const staticView = {
    cards: results.querySelector('.cards'),
    pagination: results.querySelector('.pagination'),
    heading: results.querySelector('.results-count').textContent,
  };
  const heading = results.querySelector('.results-count');
  const searchForm = document.getElementById('catalogue-search');
  const queryInput = document.getElementById('catalogue-q');
  const sortSelect = document.getElementById('catalogue-sort');
  const relevance = sortSelect.querySelector('option[value="relevance"]');
  const chips = document.getElementById('active-filters');
  const chipList = chips.querySelector('ul');
  const clearAll = chips.querySelector('.clear-all');
  const status = document.getElementById('results-status');
  const cardList = el('ul', { class: 'cards', 'data-rendered': 'js' });
  const empty = el('div', { class: 'no-results' });
  const more = el('button', { type: 'button', class: 'show-more', text: S.show_more });

  let data; // the catalogue index
  let countries; // the countries facet
  let topics; // the topics facet, whose terms cards show
  let facets; // [{key, name, terms: [[key, label]], of: entry → [term indices]}]
  let cards = null; // summaries and figures, once loaded
  const cardCache = new Map();
  let cardsLoading = null;
  const chunks = new Map(); // file → Promise of {terms, postings}
  const orders = {};
  const state = { q: '', sort: '', active: [] };
  let shown = 0;
  let lastList = [];
  let typing = false;
  let announceTimer = 0;
  let generation = 0;
  let lastSearch = null; // the words of the last query, those that matched nothing, the chunks read

  const url = (name) => new URL(name, new URL(config.index, location.href)).href;
  const getJSON = (u) => fetch(u).then((r) => {
    if (!r.ok) throw new Error(`${u}: ${r.status}`);
    return r.json();
  });

  function loadCards() {
    if (!cardsLoading) {
      cardsLoading = getJSON(url(data.cards)).then((c) => {
        cards = c;
        cardCache.clear();
        if (isDefault()) return;
        // The cards are drawn again, with their details: focus stays on the same link.
        const active = document.activeElement;
        const li = cardList.contains(active) ? active.closest('.card') : null;
        const at = li ? [[...cardList.children].indexOf(li), [...li.querySelectorAll('a')].indexOf(active)] : null;
        render(lastList, false);
        const again = at && cardList.children[at[0]];
        const link = again && again.querySelectorAll('a')[at[1]];
        if (link) link.focus({ preventScroll: true });
      }).catch(() => { cardsLoading = null; });
    }
    return cardsLoading;
  }

  // ---------------------------------------------------------------------------------------
  // State and URL.

  function defaultSort() { return state.q.trim() ? 'relevance' : 'newest'; }
  function sortOf() { return state.sort || defaultSort(); }
  function isDefault() {
    return !state.q.trim() && state.active.every((s) => s.size === 0) && sortOf() === 'newest';
  }

  function readURL() {
    const params = new URLSearchParams(location.search);
    state.q = params.get('q') || '';
    const sort = params.get('sort');
    state.sort = SORTS.includes(sort) ? sort : '';
    state.active = facets.map((f) => {
      const wanted = new Set(params.getAll(f.key).flatMap((v) => v.split(',')));
      const set = new Set();
      f.terms.forEach(([key], i) => { if (wanted.has(key)) set.add(i); });
      return set;
    });
    // Relevance needs a query; the default sort is not written in the URL.
    if (state.sort === defaultSort() || (state.sort === 'relevance' && !state.q.trim())) state.sort = '';
  }

  function stateURL() {
    const parts = [];
    facets.forEach((f, fi) => {
      const keys = f.terms.filter((_, i) => state.active[fi].has(i)).map(([k]) => encodeURIComponent(k));
      if (keys.length) parts.push(`${f.key}=${keys.join(',')}`);
    });
    if (state.q.trim()) parts.push(`q=${encodeURIComponent(state.q.trim())}`);
    if (state.sort && state.sort !== defaultSort()) parts.push(`sort=${state.sort}`);
    // Without filters, the URL is the static page this document was loaded as.
    if (!parts.length) return initialPath;
    return `${config.catalogue}?${parts.join('&')}`;
  }

  const initialPath = location.pathname;

  function commit(push) {
    const target = stateURL();
    if (target === location.pathname + location.search) return;
    if (push) history.pushState(null, '', target);
    else history.replaceState(null, '', target);
  }

  // ---------------------------------------------------------------------------------------
  // Search.

  function chunkFiles(term, prefix) {
    const list = data.chunks;
    let lo = 0;
    let hi = list.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (list[mid][0] <= term) lo = mid; else hi = mid - 1;
    }
    const files = [list[lo][1]];
    if (prefix) for (let k = lo + 1; k < list.length && list[k][0].startsWith(term); k++) files.push(list[k][1]);
    return files;
  }

  function chunk(file) {
    if (!chunks.has(file)) {
      const p = getJSON(url(file)).then((c) => { p.value = c; return c; });
      p.catch(() => chunks.delete(file));
      chunks.set(file, p);
    }
    return chunks.get(file);
  }

  /** The words of the query: {raw, stem, prefix}; the last is a prefix while being typed. */
  function queryWords(q) {
    const words = tokens(fold(q));
    const open = !/[\s\p{P}]$/u.test(q);
    return words.map((w, i) => ({ raw: w, stem: stem(w, data.stemmer), prefix: open && i === words.length - 1 }));
  }

  /** The first position in sorted `terms` not before `key`. */
  function lowerBound(terms, key) {
    let lo = 0;
    let hi = terms.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (terms[mid] < key) lo = mid + 1; else hi = mid;
    }
    return lo;
  }

  /**
   * Scores of every entry for the query (0: no match), or null without a query; a Promise
   * while search chunks are loading.
   */
  function search(q) {
    const words = queryWords(q);
    lastSearch = { words, unmatched: [], needed: [] };
    if (!words.length) return null;
    const needed = new Set();
    for (const w of words) {
      for (const f of chunkFiles(w.stem, false)) needed.add(f);
      for (const f of chunkFiles(w.raw, w.prefix)) needed.add(f);
    }
    const missing = [...needed].filter((f) => !(chunks.has(f) && chunks.get(f).value));
    if (missing.length) return Promise.all([...needed].map(chunk)).then(() => search(q));
    const n = data.entries.slug.length;
    let total = null;
    const add = (scores, post, factor) => {
      const idf = Math.log(1 + n / (post.length / 2)) * factor;
      let entry = 0;
      for (let k = 0; k < post.length; k += 2) {
        entry += post[k];
        const v = post[k + 1] * idf;
        if (v > scores[entry]) scores[entry] = v;
      }
    };
    lastSearch.needed = [...needed];
    for (const w of words) {
      const scores = new Float64Array(n);
      let found = false;
      for (const f of needed) {
        const c = chunks.get(f).value;
        const at = lowerBound(c.terms, w.stem);
        if (c.terms[at] === w.stem) { add(scores, c.postings[at], 1); found = true; }
        if (w.raw !== w.stem) {
          const raw = lowerBound(c.terms, w.raw);
          if (c.terms[raw] === w.raw) { add(scores, c.postings[raw], 1); found = true; }
        }
        if (w.prefix) {
          for (let t = lowerBound(c.terms, w.raw); t < c.terms.length && c.terms[t].startsWith(w.raw); t++) {
            if (c.terms[t] !== w.raw && c.terms[t] !== w.stem) { add(scores, c.postings[t], 0.6); found = true; }
          }
        }
      }
      if (!found) lastSearch.unmatched.push(w);
      if (total === null) total = scores;
      else for (let i = 0; i < n; i++) total[i] = total[i] > 0 && scores[i] > 0 ? total[i] + scores[i] : 0;
    }
    return total;
  }

  // ---------------------------------------------------------------------------------------
  // Filtering, counting, sorting.

  function order(kind) {
    if (!orders[kind]) {
      const n = data.entries.slug.length;
      const idx = Array.from({ length: n }, (_, i) => i);
      if (kind !== 'newest') {
        const col = new Intl.Collator(lang, { sensitivity: 'base', numeric: true });
        const key = kind === 'title' ? data.entries.title : data.entries.place;
        idx.sort((a, b) => col.compare(key[a], key[b]) || col.compare(data.entries.title[a], data.entries.title[b]) || a - b);
      }
      orders[kind] = idx;
    }
    return orders[kind];
  }

  /** Applies the state: counts every facet term, and lists the matching entries in order. */
  function evaluate(scores) {
    const n = data.entries.slug.length;
    const nf = facets.length;
    const active = [];
    for (let f = 0; f < nf; f++) if (state.active[f].size) active.push(f);
    const counts = facets.map((f) => new Array(f.terms.length).fill(0));
    const match = new Uint8Array(n);
    for (let i = 0; i < n; i++) {
      if (scores && !(scores[i] > 0)) continue;
      let failed = -1;
      let fails = 0;
      for (const f of active) {
        const set = state.active[f];
        const terms = facets[f].of[i];
        let hit = false;
        for (let k = 0; k < terms.length; k++) if (set.has(terms[k])) { hit = true; break; }
        if (!hit) { fails++; failed = f; if (fails > 1) break; }
      }
      if (fails === 0) {
        match[i] = 1;
        for (let f = 0; f < nf; f++) {
          const terms = facets[f].of[i];
          for (let k = 0; k < terms.length; k++) counts[f][terms[k]]++;
        }
      } else if (fails === 1) {
        const terms = facets[failed].of[i];
        for (let k = 0; k < terms.length; k++) counts[failed][terms[k]]++;
      }
    }
    let list;
    const sort = sortOf();
    if (sort === 'relevance' && scores) {
      list = [];
      for (let i = 0; i < n; i++) if (match[i]) list.push(i);
      list.sort((a, b) => scores[b] - scores[a] || a - b);
    } else {
      list = order(sort === 'relevance' ? 'newest' : sort).filter((i) => match[i]);
    }
    return { counts, list };
  }

  // ---------------------------------------------------------------------------------------
  // Drawing.

  /** The card of entry `i`, drawn once and kept (until the card details arrive). */
  function card(i) {
    let li = cardCache.get(i);
    if (!li) {
      li = drawCard(i);
      cardCache.set(i, li);
    }
    return li;
  }

  /** Entry `i` for other scripts: {slug, title, place, url, lang (its version's), fallback}. */
  function describe(i) {
    const e = data.entries;
    const vlang = data.languages[e.lang[i]];
    const country = countries.terms[e.countries[i]];
    return {
      slug: e.slug[i],
      title: e.title[i],
      place: country ? `${e.place[i]}, ${country[1]}` : e.place[i],
      url: fill(config.practice_url, { lang: vlang, slug: e.slug[i] }),
      lang: vlang,
      fallback: vlang !== lang,
    };
  }

  function drawCard(i) {
    const e = data.entries;
    const vlang = data.languages[e.lang[i]];
    const fallback = vlang !== lang;
    const country = countries.terms[e.countries[i]];
    const article = el('article', null,
      el('h3', { class: 'card-title' },
        el('a', { href: fill(config.practice_url, { lang: vlang, slug: e.slug[i] }), hreflang: fallback && vlang, lang: fallback && vlang, text: e.title[i] })),
      fallback && el('p', { class: 'badge', text: fill(S.available_in, { language: S.languages[vlang] || vlang }) }),
      el('p', { class: 'place', text: country ? `${e.place[i]}, ${country[1]}` : e.place[i] }));
    const pic = cards && cards.image && cards.image[i];
    if (pic) {
      // The same <picture> as the page's own cards: WebP and the fallback, lazily.
      const [webp, srcset, src, width, height, alt] = pic;
      article.prepend(el('picture', { class: 'card-image' },
        el('source', { type: 'image/webp', srcset: webp, sizes: cards.sizes }),
        el('img', { src, srcset, sizes: cards.sizes, width, height, alt, loading: 'lazy', decoding: 'async' })));
    }
    if (cards) {
      article.append(el('p', { class: 'summary', lang: fallback && vlang, text: cards.summary[i] }));
      const fig = cards.figure[i];
      if (fig) article.append(el('p', { class: 'figure', lang: fallback && vlang }, el('strong', { text: fig[0] }), ` ${fig[1]}`));
    } else {
      article.append(el('p', { class: 'summary summary-loading', 'aria-hidden': 'true' }));
    }
    const tags = el('ul', { class: 'tags', 'aria-label': S.topics });
    for (const t of topics ? e.topics[i] : []) {
      const [key, label] = topics.terms[t];
      tags.append(el('li', null, el('a', { href: fill(config.term_url, { taxonomy: 'topics', term: key }), text: label })));
    }
    article.append(tags);
    return el('li', { class: fallback ? 'card card-fallback' : 'card' }, article);
  }

  /** Entries that match the query (when `scores`) and every active facet but `skip`. */
  function countWithout(scores, skip) {
    const n = data.entries.slug.length;
    let count = 0;
    for (let i = 0; i < n; i++) {
      if (scores && !(scores[i] > 0)) continue;
      let ok = true;
      for (let f = 0; f < facets.length && ok; f++) {
        if (f === skip || !state.active[f].size) continue;
        const terms = facets[f].of[i];
        ok = false;
        for (let k = 0; k < terms.length; k++) if (state.active[f].has(terms[k])) { ok = true; break; }
      }
      if (ok) count++;
    }
    return count;
  }

  /** The query with each word that matched nothing replaced by its "did you mean", or null. */
  function suggestion() {
    if (!lastSearch || !lastSearch.unmatched.length) return null;
    const files = data.chunks.map(([, f]) => f).filter((f) => lastSearch.needed.includes(f));
    const candidates = [];
    for (const f of files) {
      const c = chunks.get(f) && chunks.get(f).value;
      if (!c || !c.words) continue;
      for (let t = 0; t < c.terms.length; t++) {
        const shown = c.words[t];
        if (shown === null || shown === undefined) continue;
        candidates.push([c.terms[t], shown || c.terms[t], c.postings[t].length / 2]);
      }
    }
    const better = new Map();
    for (const w of lastSearch.unmatched) {
      const s = suggest(w.raw, data.stemmer, candidates);
      if (!s) return null;
      better.set(w.raw, s);
    }
    // Word by word as the reader typed them: a word that is one token is replaced whole.
    let changed = 0;
    const words = state.q.trim().split(/\s+/).map((piece) => {
      const t = tokens(fold(piece));
      if (t.length === 1 && better.has(t[0])) { changed++; return better.get(t[0]); }
      return piece;
    });
    return changed === better.size ? words.join(' ') : null;
  }

  /** What the "no practice matches" message offers: a suggestion, and ways out. */
  function drawEmpty(scores) {
    const items = [el('p', { class: 'no-results-title', text: S.none })];
    const offer = [];
    const better = state.q.trim() ? suggestion() : null;
    if (better) {
      const [before, after] = S.did_you_mean.split('{suggestion}');
      const button = el('button', { type: 'button', class: 'link-button suggestion', text: better });
      button.addEventListener('click', () => leave(() => { state.q = better; queryInput.value = better; }));
      items.push(el('p', { class: 'did-you-mean' }, before, button, after || ''));
    }
    const count = (n) => fill(plural.select(n) === 'one' ? S.count_one : S.count_other, { n: number.format(n) });
    if (state.q.trim()) {
      const n = countWithout(null, -1);
      if (n) offer.push([fill(S.without_query, { q: state.q.trim() }), n, () => {
        state.q = '';
        queryInput.value = '';
        if (state.sort === 'relevance') state.sort = '';
      }]);
    }
    facets.forEach((f, fi) => {
      if (!state.active[fi].size) return;
      const n = countWithout(scores, fi);
      const label = f.terms.filter((_, i) => state.active[fi].has(i)).map(([, l]) => l).join(', ');
      if (n) offer.push([fill(S.without_filter, { label }), n, () => state.active[fi].clear()]);
    });
    const list = el('ul', { class: 'way-out' });
    for (const [label, n, change] of offer) {
      const button = el('button', { type: 'button', class: 'button', text: `${label} (${count(n)})` });
      button.addEventListener('click', () => leave(change));
      list.append(el('li', null, button));
    }
    if (!offer.length) {
      const button = el('button', { type: 'button', class: 'button', text: S.clear_all });
      button.addEventListener('click', () => clearAll.click());
      list.append(el('li', null, button));
    }
    items.push(el('p', { class: 'way-out-intro', text: S.way_out }), list);
    empty.replaceChildren(...items);
    return better;
  }

  /** Applies a way out of "no practice matches", then gives the search box the focus. */
  function leave(change) {
    change();
    typing = false;
    syncControls();
    update(true).then(() => queryInput.focus());
  }

  function render(list, fresh) {
    lastList = list;
    const total = data.entries.slug.length;
    if (isDefault()) {
      cardList.replaceWith(staticView.cards);
      if (staticView.pagination) staticView.pagination.hidden = false;
      empty.remove();
      more.remove();
      heading.textContent = staticView.heading;
      return;
    }
    if (staticView.pagination) staticView.pagination.hidden = true;
    if (staticView.cards.isConnected) staticView.cards.replaceWith(cardList);
    if (fresh) shown = Math.min(list.length, config.per_page);
    const items = [];
    for (let k = 0; k < shown; k++) items.push(card(list[k]));
    cardList.replaceChildren(...items);
    heading.textContent = countText(list.length, total);
    // With nothing to list, the message (and its ways out) comes first, where the cards would.
    if (list.length === 0) cardList.before(empty); else empty.remove();
    if (shown < list.length) (empty.isConnected ? empty : cardList).after(more); else more.remove();
  }

  function drawFacets(counts) {
    // Only what changed is written: every write costs a style and layout pass.
    facets.forEach((f, fi) => {
      f.inputs.forEach((input, ti) => {
        const n = counts[fi][ti];
        const checked = state.active[fi].has(ti);
        const disabled = n === 0 && !checked;
        if (input.checked !== checked) input.checked = checked;
        if (input.disabled !== disabled) input.disabled = disabled;
        if (f.shown[ti] !== n) {
          f.shown[ti] = n;
          f.counts[ti].textContent = `(${number.format(n)})`;
        }
      });
    });
    const active = state.active.reduce((a, s) => a + s.size, 0);
    const label = active ? `${S.filters} (${number.format(active)})` : S.filters;
    if (toggle && toggle.textContent !== label) toggle.textContent = label;
  }

  function drawChips() {
    const items = [];
    facets.forEach((f, fi) => {
      f.terms.forEach(([, label], ti) => {
        if (!state.active[fi].has(ti)) return;
        items.push(chip(label, () => { state.active[fi].delete(ti); }));
      });
    });
    if (state.q.trim()) items.push(chip(fill(S.query_chip, { q: state.q.trim() }), () => { state.q = ''; queryInput.value = ''; }));
    chipList.replaceChildren(...items);
    chips.hidden = items.length === 0 && sortOf() === 'newest';
  }

  function chip(label, remove) {
    const b = el('button', { type: 'button', class: 'chip', 'aria-label': fill(S.remove, { label }) },
      el('span', { text: label }), el('span', { class: 'chip-x', 'aria-hidden': 'true', text: '×' }));
    b.addEventListener('click', () => {
      // Focus stays in the chip list: on the chip that takes this one's place, if any.
      const at = [...chipList.children].indexOf(b.parentElement);
      remove();
      typing = false;
      update(true).then(() => {
        const buttons = chipList.querySelectorAll('button');
        (buttons[Math.min(at, buttons.length - 1)] || queryInput).focus();
      });
    });
    return el('li', null, b);
  }

  function announce(text, now) {
    clearTimeout(announceTimer);
    announceTimer = setTimeout(() => { status.textContent = text; }, now ? 50 : 600);
  }

  /** Applies the state: search, filter, count, draw; resolves when the cards are drawn. */
  function update(push, fromURL, quiet) {
    const mine = ++generation;
    catalogue.pending++;
    if (!fromURL && push !== null) commit(push);
    const finish = (scores) => {
      catalogue.pending--;
      if (mine !== generation) return;
      const { counts, list } = evaluate(scores);
      if (!isDefault() && !cards) loadCards();
      const better = list.length === 0 ? drawEmpty(scores) : null;
      render(list, true);
      drawFacets(counts);
      drawChips();
      relevance.disabled = !state.q.trim();
      if (sortSelect.value !== sortOf()) sortSelect.value = sortOf();
      if (!quiet) {
        const said = countText(list.length, data.entries.slug.length);
        announce(better ? `${said}. ${fill(S.did_you_mean, { suggestion: better })}` : said, !typing);
      }
      const detail = {
        lang,
        slugs: list.map((i) => data.entries.slug[i]),
        entries: list.slice(),
        total: data.entries.slug.length,
        query: state.q.trim(),
        filters: Object.fromEntries(facets.map((f, fi) => [f.key, f.terms.filter((_, i) => state.active[fi].has(i)).map(([k]) => k)])),
      };
      api.results = detail;
      document.dispatchEvent(new CustomEvent('casebook:results', { detail }));
    };
    const scores = state.q.trim() ? search(state.q) : null;
    if (scores && typeof scores.then === 'function') {
      results.setAttribute('aria-busy', 'true');
      return scores.then((s) => { results.removeAttribute('aria-busy'); finish(s); }, () => { results.removeAttribute('aria-busy'); finish(new Float64Array(data.entries.slug.length)); });
    }
    finish(scores);
    return Promise.resolve();
  }

  // ---------------------------------------------------------------------------------------
  // Controls.

  // The facets are a <details> (a "Filters" disclosure on narrow screens, always open on
  // wide ones): its summary stays, the facet links give way to the form.
  const facetsBox = facetsAside.querySelector('details') || facetsAside;
  const toggle = facetsBox.querySelector(':scope > summary');

  function buildFacets() {
    const form = el('form', { class: 'facet-form', id: 'facet-form', 'aria-label': S.filters });
    form.addEventListener('submit', (e) => e.preventDefault());
    facets.forEach((f, fi) => {
      f.inputs = [];
      f.counts = [];
      f.shown = [];
      if (!f.terms.length) return;
      const list = el('ul');
      f.terms.forEach(([key, label], ti) => {
        const id = `f-${f.key}-${ti}`;
        const input = el('input', { type: 'checkbox', id, name: f.key, value: key });
        const count = el('span', { class: 'count' });
        input.addEventListener('change', () => {
          if (input.checked) state.active[fi].add(ti); else state.active[fi].delete(ti);
          typing = false;
          update(true);
        });
        f.inputs.push(input);
        f.counts.push(count);
        list.append(el('li', null, input, el('label', { for: id }, `${label} `, count)));
      });
      form.append(el('fieldset', { class: 'facet' }, el('legend', { text: f.name }), list));
    });
    const heading = facetsAside.querySelector('h2');
    if (heading) heading.textContent = S.filters;
    if (toggle) toggle.textContent = S.filters;
    facetsBox.replaceChildren(...[toggle, form].filter(Boolean));
    facetsAside.classList.add('enhanced');
    // Start fetching card details as soon as the reader reaches for a control.
    for (const target of [facetsAside, searchForm]) {
      target.addEventListener('pointerover', loadCards, { once: true });
      target.addEventListener('focusin', loadCards, { once: true });
    }
  }

  function bindControls() {
    searchForm.addEventListener('submit', (e) => e.preventDefault());
    queryInput.addEventListener('input', () => {
      state.q = queryInput.value;
      if (state.sort === 'relevance' && !state.q.trim()) state.sort = '';
      const push = !typing;
      typing = true;
      update(push);
    });
    sortSelect.addEventListener('change', () => {
      state.sort = sortSelect.value === defaultSort() ? '' : sortSelect.value;
      typing = false;
      update(true);
    });
    clearAll.addEventListener('click', () => {
      state.q = '';
      state.sort = '';
      queryInput.value = '';
      state.active.forEach((s) => s.clear());
      typing = false;
      update(true).then(() => queryInput.focus());
    });
    more.addEventListener('click', () => {
      const first = shown;
      shown = Math.min(lastList.length, shown + config.per_page);
      const items = [];
      for (let k = first; k < shown; k++) items.push(card(lastList[k]));
      cardList.append(...items);
      if (shown >= lastList.length) more.remove();
      const link = items[0] && items[0].querySelector('a');
      if (link) link.focus();
    });
    window.addEventListener('popstate', () => {
      readURL();
      syncControls();
      typing = false;
      update(null, true, false);
    });
  }

  function syncControls() {
    queryInput.value = state.q;
    sortSelect.value = sortOf();
  }

  getJSON(config.index).then((index) => {
    data = index;
    const e = data.entries;
    facets = data.facets.map((f) => ({
      key: f.key,
      name: S.facets[f.key] || f.name || f.key,
      terms: f.terms,
      of: (e[f.key] || []).map((v) => (Array.isArray(v) ? v : v < 0 ? [] : [v])),
    }));
    countries = facets.find((f) => f.key === 'countries');
    topics = facets.find((f) => f.key === 'topics');
    catalogue.entry = describe;
    buildFacets();
    bindControls();
    readURL();
    // Words typed before the script was ready are kept.
    const early = queryInput.value;
    syncControls();
    if (early && !state.q) {
      state.q = early;
      queryInput.value = early;
    }
    searchForm.hidden = false;
    chips.hidden = true;
    if (!isDefault()) loadCards();
    return update(null, true, true);
  }).then(() => {
    catalogue.ready = true;
    catalogue.pending--;
    document.documentElement.dataset.catalogue = 'ready';
  }).catch((err) => {
    // The static catalogue stays as it is: pagination and facet links still work, and the
    // search, which needs the index, goes.
    searchForm.hidden = true;
    catalogue.pending = 0;
    catalogue.error = String(err);
  });
})();
