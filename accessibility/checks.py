"""What the suite measures in the page, as JavaScript run through Playwright's isolated world
(so it works with the page's own JavaScript off), and the Python that turns it into findings."""

from __future__ import annotations

import re
from typing import Any

from playwright.sync_api import Page

# Shared helpers, prepended to every snippet.
_LIB = r"""
const px = v => parseFloat(v) || 0;
function rgba(text) {
  const m = /rgba?\(([^)]+)\)/.exec(text || '');
  if (!m) return null;
  const p = m[1].split(/[ ,\/]+/).filter(Boolean).map(Number);
  return {r: p[0], g: p[1], b: p[2], a: p.length > 3 ? p[3] : 1};
}
function lum(c) {
  const f = v => { v /= 255; return v <= 0.03928 ? v / 12.92 : Math.pow((v + 0.055) / 1.055, 2.4); };
  return 0.2126 * f(c.r) + 0.7152 * f(c.g) + 0.0722 * f(c.b);
}
function contrast(a, b) {
  const [x, y] = [lum(a), lum(b)].sort((p, q) => q - p);
  return (x + 0.05) / (y + 0.05);
}
function background(el) {
  for (let e = el; e && e.nodeType === 1; e = e.parentElement) {
    const c = rgba(getComputedStyle(e).backgroundColor);
    if (c && c.a > 0.5) return c;
  }
  return {r: 255, g: 255, b: 255, a: 1};
}
function visible(el) {
  const s = getComputedStyle(el);
  if (s.visibility === 'hidden' || s.display === 'none') return false;
  const r = el.getBoundingClientRect();
  return r.width > 1 && r.height > 1;
}
function visuallyHidden(el) {
  for (let e = el; e && e.nodeType === 1; e = e.parentElement) {
    const s = getComputedStyle(e);
    if (s.display === 'none' || s.visibility === 'hidden') return true;
    if (s.position === 'absolute' && (s.clip === 'rect(0px, 0px, 0px, 0px)' || s.clipPath === 'inset(50%)') ) return true;
    const r = e.getBoundingClientRect();
    if (r.width <= 1 && r.height <= 1 && s.overflow === 'hidden') return true;
  }
  return false;
}
function describe(el) {
  if (!el || el.nodeType !== 1) return String(el);
  let s = el.tagName.toLowerCase();
  if (el.id) return s + '#' + el.id;
  if (el.getAttribute('name')) s += `[name="${el.getAttribute('name')}"]`;
  const cls = [...el.classList].filter(c => !c.startsWith('js-')).slice(0, 2);
  if (cls.length) s += '.' + cls.join('.');
  const text = (el.innerText || el.value || '').trim().replace(/\s+/g, ' ').slice(0, 40);
  return text ? `${s} "${text}"` : s;
}
function labelOf(el) {
  const labels = el.labels ? [...el.labels].map(l => l.innerText.trim()) : [];
  const fieldset = el.closest('fieldset');
  const legend = fieldset && fieldset.querySelector('legend') ? fieldset.querySelector('legend').innerText.trim() : '';
  return {label: labels.join(' ').replace(/\s+/g, ' '), legend: legend.replace(/\s+/g, ' ')};
}
"""

PAGE_AUDIT = (
    _LIB
    + r"""
() => {
  const out = {};
  out.title = document.title;
  // With JavaScript on, GOV.UK Frontend marks each component it starts (data-<module>-init).
  const modules = [...document.querySelectorAll('[data-module^="govuk-"]')];
  out.jsStarted = !document.body.classList.contains('govuk-frontend-supported') || !modules.length ||
    modules.some(e => [...e.attributes].some(a => a.name.endsWith('-init')));
  out.cssLoaded = [...document.styleSheets].some(sheet => { try { return sheet.cssRules.length > 100 } catch (e) { return false } });
  out.lang = document.documentElement.getAttribute('lang') || '';
  out.h1 = [...document.querySelectorAll('h1')].map(h => h.innerText.trim());
  // A legend or label that is the page heading contains the h1.
  // The error summary and notification banner headings sit above the h1 by design (GOV.UK).
  out.headings = [...document.querySelectorAll('h1,h2,h3,h4,h5,h6,[role=heading]')]
    .filter(h => !h.closest('.govuk-error-summary, .govuk-notification-banner'))
    .map(h => ({level: h.getAttribute('aria-level') ? +h.getAttribute('aria-level') : +h.tagName[1], text: h.innerText.trim() || h.textContent.trim()}));
  out.landmarks = {
    main: document.querySelectorAll('main, [role=main]').length,
    banner: [...document.querySelectorAll('header, [role=banner]')].filter(e => !e.closest('main, article, aside, nav, section')).length,
    contentinfo: [...document.querySelectorAll('footer, [role=contentinfo]')].filter(e => !e.closest('main, article, aside, nav, section')).length,
  };
  // Visible text outside every landmark (for a person to review: GOV.UK puts the phase banner and
  // back link there).
  const outside = [];
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  for (let n = walker.nextNode(); n; n = walker.nextNode()) {
    if (!n.textContent.trim()) continue;
    const el = n.parentElement;
    if (!el || el.closest('script, style, noscript, template, header, main, footer, nav, aside, [role=banner], [role=main], [role=contentinfo], [role=navigation], [role=region], dialog')) continue;
    if (visuallyHidden(el) || !visible(el)) continue;
    const d = describe(el.closest('a, p, div, strong, span') || el);
    if (!outside.includes(d)) outside.push(d);
  }
  out.outsideLandmarks = outside;
  // lang on passages: every lang attribute is well formed, and Welsh text is marked as Welsh.
  out.badLang = [...document.querySelectorAll('[lang]')].filter(e => !/^[a-z]{2,3}(-[A-Za-z0-9]{2,8})*$/.test(e.getAttribute('lang'))).map(describe);
  out.unmarkedWelsh = [...document.querySelectorAll('a, span, p')].filter(e => /^(Cymraeg|Cymorth|Croeso)\b/.test((e.innerText || '').trim()) && !(e.closest('[lang]') && e.closest('[lang]').getAttribute('lang').startsWith('cy'))).map(describe);
  const ids = {};
  for (const e of document.querySelectorAll('[id]')) ids[e.id] = (ids[e.id] || 0) + 1;
  out.duplicateIds = Object.keys(ids).filter(k => ids[k] > 1);
  // Form fields.
  out.fields = [...document.querySelectorAll('main input, main select, main textarea')]
    .filter(e => !['hidden', 'submit', 'button'].includes(e.type))
    .map(e => ({name: e.name, id: e.id, type: e.type, tag: e.tagName.toLowerCase(),
                autocomplete: e.getAttribute('autocomplete'), value: (e.type === 'radio' || e.type === 'checkbox') ? (e.checked ? e.value : null) : e.value,
                ...labelOf(e), visible: visible(e) || (e.type === 'radio' || e.type === 'checkbox' || e.type === 'file')}));
  // Features of the page, to pick a sample that reaches every kind of page for the slow checks.
  const features = [];
  const has = (sel, name) => { if (document.querySelector(sel)) features.push(name); };
  has('main .govuk-radios:not(.govuk-radios--inline)', 'radios'); has('main .govuk-radios--inline', 'radios-inline');
  has('main .govuk-checkboxes', 'checkboxes'); has('main .govuk-checkboxes__divider, main .govuk-radios__divider', 'divider');
  has('main .govuk-date-input', 'date'); has('main .govuk-date-input input[name$="-day"]', 'date-with-day');
  has('main .govuk-textarea', 'textarea'); has('main .govuk-character-count', 'character-count');
  has('main .govuk-file-upload, main .govuk-drop-zone', 'file-upload');
  has('main input[autocomplete^="address-line1"], main input[name$="-line1"]', 'address');
  has('main .govuk-input__suffix, main .govuk-input__prefix', 'input-affix');
  has('main input.govuk-input[type=text]:not([name$="-line1"]):not([name$="-day"])', 'text');
  has('main input[type=email]', 'email'); has('main input[type=tel]', 'tel'); has('main input[inputmode=numeric]', 'numeric');
  has('main .govuk-radios__conditional, main .govuk-checkboxes__conditional', 'conditional');
  has('main .govuk-summary-list', 'summary-list'); has('main .govuk-summary-card', 'summary-card');
  has('main .govuk-warning-text', 'warning'); has('main .govuk-task-list', 'task-list');
  has('main .govuk-panel', 'panel'); has('main .govuk-inset-text', 'inset'); has('main .govuk-notification-banner, .govuk-notification-banner', 'notification');
  has('main table', 'table'); has('main details', 'details'); has('main .govuk-error-summary', 'error-summary');
  has('dialog', 'dialog'); has('main .govuk-button--start', 'start-button'); has('main a.govuk-button', 'link-button');
  has('.govuk-back-link', 'back-link'); has('main .govuk-pagination', 'pagination'); has('main .govuk-tag', 'tag');
  has('main fieldset legend h1, main label h1', 'heading-in-field');
  out.features = features;
  // Non-text contrast (1.4.11) of the edges that show where a control is, and target size (2.5.8).
  const controls = [];
  for (const e of document.querySelectorAll('input, select, textarea, button, a[href], summary, [role=button]')) {
    if (e.type === 'hidden' || !visible(e) && !(e.type === 'radio' || e.type === 'checkbox')) continue;
    if (visuallyHidden(e) && !e.matches('.govuk-skip-link')) continue;
    if (e.matches('.govuk-skip-link')) continue; // only visible on focus: checked by the keyboard test
    let box = e, edge = null;
    if ((e.type === 'radio' || e.type === 'checkbox') && e.labels && e.labels[0]) {
      // GOV.UK draws the control with the label's ::before; the real input sits over it.
      const before = getComputedStyle(e.labels[0], '::before');
      edge = {width: px(before.borderTopWidth), style: before.borderTopStyle, color: before.borderTopColor};
    } else if (e.matches('input, select, textarea')) {
      const s = getComputedStyle(e);
      edge = {width: px(s.borderTopWidth), style: s.borderTopStyle, color: s.borderTopColor};
    }
    const r = box.getBoundingClientRect();
    const inline = e.tagName === 'A' && getComputedStyle(e).display === 'inline' && !e.matches('.govuk-button');
    controls.push({target: describe(e), tag: e.tagName.toLowerCase(), type: e.type || '', rect: r,
                   width: Math.round(r.width * 10) / 10, height: Math.round(r.height * 10) / 10, inline,
                   edge: edge && {...edge, contrast: edge.style === 'none' || edge.width === 0 ? 0 :
                                   Math.round(contrast(rgba(edge.color) || {r:0,g:0,b:0}, background(e.parentElement)) * 100) / 100}});
  }
  // 2.5.8's spacing exception: an undersized target passes if a 24px circle on its centre
  // touches no other target (nor another undersized target's circle).
  const all = [...document.querySelectorAll('input:not([type=hidden]), select, textarea, button, a[href], summary, [role=button]')]
    .filter(e => visible(e) && !visuallyHidden(e)).map(e => e.getBoundingClientRect());
  for (const c of controls) {
    const r = c.rect;
    c.spaced = true;
    const cx = r.left + r.width / 2, cy = r.top + r.height / 2;
    for (const o of all) {
      if (Math.abs(o.left - r.left) < 0.5 && Math.abs(o.top - r.top) < 0.5 && Math.abs(o.width - r.width) < 0.5) continue;
      const dx = Math.max(o.left - cx, 0, cx - o.right), dy = Math.max(o.top - cy, 0, cy - o.bottom);
      if (Math.hypot(dx, dy) < 12) { c.spaced = false; break; }
    }
    delete c.rect;
  }
  out.controls = controls;
  return out;
}
"""
)

# Horizontal scrolling, clipped content and overlapping text, as the page is now laid out.
LAYOUT = (
    _LIB
    + r"""
() => {
  const doc = document.documentElement;
  const out = {scrollWidth: doc.scrollWidth, clientWidth: doc.clientWidth, clipped: [], overlaps: [], offscreen: []};
  const vw = doc.clientWidth;
  for (const el of document.body.querySelectorAll('*')) {
    if (el.closest('script, style, noscript, template, dialog:not([open])')) continue;
    if (!visible(el) || visuallyHidden(el)) continue;
    const s = getComputedStyle(el);
    const clips = v => v === 'hidden' || v === 'clip';
    if ((clips(s.overflowX) && el.scrollWidth > el.clientWidth + 2) || (clips(s.overflowY) && el.scrollHeight > el.clientHeight + 2)) {
      if (el.innerText && el.innerText.trim() && s.textOverflow !== 'ellipsis') out.clipped.push(describe(el));
    }
    if (s.textOverflow === 'ellipsis' && el.scrollWidth > el.clientWidth + 1) out.clipped.push(describe(el) + ' (cut short with an ellipsis)');
    const r = el.getBoundingClientRect();
    if (r.right > vw + 2 && s.position !== 'fixed') {
      const hasText = [...el.childNodes].some(n => n.nodeType === 3 && n.textContent.trim());
      if (hasText || el.matches('input, select, textarea, img, button')) out.offscreen.push(describe(el));
    }
  }
  // Text that overlaps other text: compare the boxes of the lines of every text node.
  const boxes = [];
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  for (let n = walker.nextNode(); n; n = walker.nextNode()) {
    if (!n.textContent.trim()) continue;
    const el = n.parentElement;
    if (!el || el.closest('script, style, noscript, template, dialog:not([open])') || visuallyHidden(el) || !visible(el)) continue;
    const range = document.createRange();
    range.selectNodeContents(n);
    for (const r of range.getClientRects()) if (r.width > 2 && r.height > 2) boxes.push({r, el, text: n.textContent.trim().slice(0, 30)});
  }
  for (let i = 0; i < boxes.length && out.overlaps.length < 10; i++) {
    for (let j = i + 1; j < boxes.length; j++) {
      const a = boxes[i].r, b = boxes[j].r;
      const w = Math.min(a.right, b.right) - Math.max(a.left, b.left);
      const h = Math.min(a.bottom, b.bottom) - Math.max(a.top, b.top);
      if (w > 2 && h > Math.min(a.height, b.height) * 0.35 && boxes[i].el !== boxes[j].el) {
        out.overlaps.push(`"${boxes[i].text}" overlaps "${boxes[j].text}"`);
        break;
      }
    }
  }
  out.clipped = [...new Set(out.clipped)].slice(0, 10);
  out.offscreen = [...new Set(out.offscreen)].slice(0, 10);
  return out;
}
"""
)

# The service's Content-Security-Policy forbids <style> elements: add styles as a constructed sheet.
ADD_STYLES = """
(css) => {
  const sheet = new CSSStyleSheet();
  sheet.replaceSync(css);
  document.adoptedStyleSheets = [...document.adoptedStyleSheets, sheet];
}
"""

# The WCAG 1.4.12 bookmarklet values, as !important author styles.
TEXT_SPACING_CSS = """
* { line-height: 1.5 !important; letter-spacing: 0.12em !important; word-spacing: 0.16em !important; }
p { margin-bottom: 2em !important; }
"""

# The focused element's focus indicator: what draws it, its size, and its contrast (1.4.11, 2.4.7,
# 2.4.11). GOV.UK draws focus with outline, box-shadow and a yellow background; radios and
# checkboxes draw it on the label's ::before/::after; file upload's drop zone on its button.
FOCUS = (
    _LIB
    + r"""
(forced) => {
  const el = document.activeElement;
  if (!el || el === document.body || el === document.documentElement) return {none: true};
  const parts = [[el, null]];
  if ((el.type === 'radio' || el.type === 'checkbox') && el.labels && el.labels[0]) {
    parts.push([el.labels[0], '::before'], [el.labels[0], '::after']);
  }
  const bg = background(el.parentElement || el);
  let best = 0, widest = 0, kinds = [];
  for (const [node, pseudo] of parts) {
    const s = getComputedStyle(node, pseudo);
    if (s.outlineStyle !== 'none' && px(s.outlineWidth) > 0) {
      const c = rgba(s.outlineColor);
      if (c && c.a > 0.5) { kinds.push('outline'); widest = Math.max(widest, px(s.outlineWidth)); best = Math.max(best, contrast(c, bg)); }
      else if (forced && c) { kinds.push('outline'); widest = Math.max(widest, px(s.outlineWidth)); best = Math.max(best, 3); }
    }
    if (s.boxShadow && s.boxShadow !== 'none' && !forced) {
      // Each shadow: colour then lengths. A shadow of width >= 2px in a contrasting colour counts.
      for (const shadow of s.boxShadow.split(/,(?![^(]*\))/)) {
        const c = rgba(shadow);
        const lengths = (shadow.replace(/rgba?\([^)]*\)/, '').match(/-?[\d.]+px/g) || []).map(px).map(Math.abs);
        const size = Math.max(...lengths, 0);
        if (c && c.a > 0.5 && size >= 1) { kinds.push('box-shadow'); widest = Math.max(widest, size); best = Math.max(best, contrast(c, bg)); }
      }
    }
  }
  const s = getComputedStyle(el);
  const ownBg = rgba(s.backgroundColor);
  if (ownBg && ownBg.a > 0.5 && !forced) {
    const c = contrast(ownBg, bg);
    if (c >= 3) { kinds.push('background'); best = Math.max(best, c); widest = Math.max(widest, 2); }
  }
  // Not hidden: the element (or the label that draws it) is in the viewport and on top.
  const r = (el.type === 'radio' || el.type === 'checkbox') && el.labels && el.labels[0] ? el.getBoundingClientRect() : el.getBoundingClientRect();
  const vw = document.documentElement.clientWidth, vh = window.innerHeight;
  const cx = Math.min(Math.max(r.left + r.width / 2, 0), vw - 1), cy = Math.min(Math.max(r.top + r.height / 2, 0), vh - 1);
  const hit = document.elementFromPoint(cx, cy);
  const own = hit && (hit === el || el.contains(hit) || hit.contains(el) || (el.labels && [...el.labels].some(l => l === hit || l.contains(hit))));
  const inView = r.bottom > 0 && r.top < vh && r.right > 0 && r.left < vw;
  // The skip link is invisible until focused: appearing is its focus indicator.
  if (el.classList.contains('govuk-skip-link') && r.width > 1 && r.height > 1) { kinds.push('appears'); best = Math.max(best, 3); widest = Math.max(widest, 2); }
  return {
    stop: el.type === 'radio' ? `radio group ${el.name}` : describe(el),
    target: describe(el), tag: el.tagName.toLowerCase(), type: el.type || '', name: el.name || '', value: el.value || '',
    checked: !!el.checked, href: el.getAttribute('href'), text: (el.innerText || '').trim().slice(0, 60),
    kinds, width: widest, contrast: Math.round(best * 100) / 100, obscured: !(inView && own),
    rect: {x: r.left + window.scrollX, y: r.top + window.scrollY, width: r.width, height: r.height},
    inMain: !!el.closest('main'), isContinue: !!el.closest('main form') && el.matches('button.govuk-button, input[type=submit]') && !el.classList.contains('govuk-button--secondary'),
  };
}
"""
)

# Anything still moving with prefers-reduced-motion: reduce.
MOTION = r"""
() => {
  const moving = [];
  const secs = v => Math.max(...v.split(',').map(t => parseFloat(t) * (t.trim().endsWith('ms') ? 0.001 : 1)));
  for (const el of document.querySelectorAll('*')) {
    for (const pseudo of [null, '::before', '::after']) {
      const s = getComputedStyle(el, pseudo);
      if (s.animationName !== 'none' && secs(s.animationDuration) > 0.01 && s.animationIterationCount !== '0') moving.push(el.tagName.toLowerCase() + (pseudo || '') + ' animation ' + s.animationName);
      if (secs(s.transitionDuration) > 0.01 && s.transitionProperty !== 'none') moving.push(el.tagName.toLowerCase() + '.' + [...el.classList].join('.') + (pseudo || '') + ' transition ' + s.transitionProperty);
    }
  }
  for (const v of document.querySelectorAll('video[autoplay], img[src$=".gif"]')) moving.push(v.outerHTML.slice(0, 60));
  return [...new Set(moving)].slice(0, 10);
}
"""

# Forced colours: controls still have edges and the focus indicator is drawn by outline (box-shadow
# and background colours are dropped by the browser in this mode).
FORCED_EDGES = (
    _LIB
    + r"""
() => {
  const missing = [];
  for (const e of document.querySelectorAll('main input, main select, main textarea, main .govuk-button, main .govuk-file-upload-button')) {
    if (e.type === 'hidden' || e.type === 'file' || !visible(e) && !(e.type === 'radio' || e.type === 'checkbox')) continue;
    let s = getComputedStyle(e);
    if ((e.type === 'radio' || e.type === 'checkbox') && e.labels && e.labels[0]) s = getComputedStyle(e.labels[0], '::before');
    if (e.type === 'file' && !visible(e)) continue;
    const width = px(s.borderTopWidth) + px(s.borderBottomWidth);
    if (s.borderTopStyle === 'none' || width === 0) missing.push(describe(e));
  }
  return missing;
}
"""
)


def page_audit(page: Page) -> dict[str, Any]:
    return page.evaluate(PAGE_AUDIT)  # type: ignore[no-any-return]


def layout(page: Page) -> dict[str, Any]:
    return page.evaluate(LAYOUT)  # type: ignore[no-any-return]


def focus_info(page: Page, forced: bool = False) -> dict[str, Any]:
    return page.evaluate(FOCUS, forced)  # type: ignore[no-any-return]


# ---------------------------------------------------------------------------------------------
# 1.3.5: the fields that ask for the applicant's own details, and the purpose each must declare.
# Keyed by the field's name; other people's details (referees, GPs) must not claim the user's.

PERSONAL_FIELDS: dict[str, str] = {
    "postcode": "postal-code",
    "title": "honorific-prefix",
    "surname": "family-name",
    "forenames": "given-name",
    "home_address-line1": "address-line1",
    "home_address-line2": "address-line2",
    "home_address-town": "address-level2",
    "home_address-postcode": "postal-code",
    "home_phone": "tel",
    "mobile_phone": "tel",
    "email": "email",
    "date_of_birth-day": "bday-day",
    "date_of_birth-month": "bday-month",
    "date_of_birth-year": "bday-year",
    "occupation": "organization-title",
    "work_phone": "tel",
    "work_email": "email",
}

_FIELD_NAMES = {
    "name",
    "honorific-prefix",
    "given-name",
    "additional-name",
    "family-name",
    "honorific-suffix",
    "nickname",
    "username",
    "new-password",
    "current-password",
    "one-time-code",
    "organization-title",
    "organization",
    "street-address",
    "address-line1",
    "address-line2",
    "address-line3",
    "address-level4",
    "address-level3",
    "address-level2",
    "address-level1",
    "country",
    "country-name",
    "postal-code",
    "cc-name",
    "cc-given-name",
    "cc-additional-name",
    "cc-family-name",
    "cc-number",
    "cc-exp",
    "cc-exp-month",
    "cc-exp-year",
    "cc-csc",
    "cc-type",
    "transaction-currency",
    "transaction-amount",
    "language",
    "bday",
    "bday-day",
    "bday-month",
    "bday-year",
    "sex",
    "url",
    "photo",
    "webauthn",
}
_CONTACT_NAMES = {
    "tel",
    "tel-country-code",
    "tel-national",
    "tel-area-code",
    "tel-local",
    "tel-local-prefix",
    "tel-local-suffix",
    "tel-extension",
    "email",
    "impp",
}
_CONTACT_KINDS = {"home", "work", "mobile", "fax", "pager"}


def autocomplete_valid(value: str) -> bool:
    """The HTML autofill grammar: [section-*] [shipping|billing] [home|work|...] field [webauthn]."""
    tokens = value.lower().split()
    if tokens in (["on"], ["off"]):
        return True
    if tokens and tokens[-1] == "webauthn":
        tokens = tokens[:-1]
    if not tokens:
        return False
    *modifiers, name = tokens
    if name not in _FIELD_NAMES | _CONTACT_NAMES:
        return False
    if modifiers and modifiers[0].startswith("section-"):
        modifiers = modifiers[1:]
    if modifiers and modifiers[0] in ("shipping", "billing"):
        modifiers = modifiers[1:]
    if modifiers and modifiers[0] in _CONTACT_KINDS and name in _CONTACT_NAMES:
        modifiers = modifiers[1:]
    return not modifiers


def autocomplete_purpose(value: str | None) -> str | None:
    if not value:
        return None
    return value.lower().split()[-1]


def normalise(text: str) -> str:
    """A question's wording reduced to its subject, to spot the same thing asked twice."""
    text = re.sub(r"\(optional\)|[?’'.,]", "", text.lower())
    text = re.sub(
        r"^(what|which|when|where|how|who) (is|are|was|were|did|do|does)?\s*(your|the|it|this)?\s*",
        "",
        text,
    )
    text = re.sub(r"\b(is it|your|the|of|a|an)\b", " ", text)
    return re.sub(r"\s+", " ", text).strip()
