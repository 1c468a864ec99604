// Blue Lamp: mark the page as having JavaScript, in place of the inline
// <script> that GOV.UK Frontend's page template uses (our Content Security
// Policy allows no inline script).
//
// Load it as a classic, blocking script as the FIRST element inside <body>, so
// the classes are there before anything is drawn (no flash of the no-JS page):
//   <script src="{{ asset_url('govuk-supported.js') }}"></script>
// GOV.UK Frontend's components only start when <body> has the class
// `govuk-frontend-supported`, which it gives only to browsers that run ES
// modules (the same test as GOV.UK's own snippet).
document.body.className +=
  ' js-enabled' + ('noModule' in HTMLScriptElement.prototype ? ' govuk-frontend-supported' : '')
