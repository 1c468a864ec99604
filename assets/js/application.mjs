// Blue Lamp: start the GOV.UK Frontend components the service uses, and start
// them again inside any content that htmx swaps into the page.
//
// scripts/build_assets.py bundles this file with esbuild: only the components
// imported below (and what they share) go into the one file a browser fetches,
// about a third smaller than GOV.UK Frontend's prebuilt bundle of every
// component, and one request fewer. To use another component, import it here
// and add it to `components`. `./timeout-warning.js` stays a separate file
// (loaded only when needed); the build rewrites that import to its hashed name.
import {
  Button,
  CharacterCount,
  Checkboxes,
  ErrorSummary,
  FileUpload,
  NotificationBanner,
  Radios,
  ServiceNavigation,
  SkipLink,
  createAll
} from 'govuk-frontend'

const components = [
  Button,
  CharacterCount,
  Checkboxes,
  ErrorSummary,
  FileUpload,
  NotificationBanner,
  Radios,
  ServiceNavigation,
  SkipLink
]

// Normally done by govuk-supported.js at the top of <body>; repeated here so the
// components still start if a page only includes this module (any browser that
// runs a module script is one GOV.UK Frontend supports).
document.body.classList.add('js-enabled', 'govuk-frontend-supported')

// A component that is already running throws `InitError` when started again:
// expected when htmx swaps content next to components that were already there.
function onError(error) {
  if (error && error.name === 'InitError') return
  console.error(error)
}

function start($scope) {
  for (const Component of components) {
    createAll(Component, undefined, { scope: $scope, onError })
  }
}

// The session timeout warning is only needed on a page that carries its dialog (a draft is
// open), so it is fetched then rather than on every first visit. Once loaded, the module
// watches htmx swaps itself; importing it again does nothing.
function loadTimeoutWarningIfNeeded() {
  if (document.querySelector('[data-module="app-timeout-warning"]')) {
    import('./timeout-warning.js').catch(onError)
  }
}

start(document)
loadTimeoutWarningIfNeeded()

// A link to a file (a PDF, a CSV, a photo) carries the standard `download` attribute. htmx 2
// boosts every local link under `hx-boost` and would fetch the file and swap its bytes into the
// page; marking the link `hx-boost="false"` before htmx looks at it leaves it to the browser,
// which saves or shows the file and leaves the page alone. Registered before htmx starts (this
// module runs before DOMContentLoaded), so the first page's links are covered as well.
document.addEventListener('htmx:beforeProcessNode', (event) => {
  const $element = event.target
  if ($element instanceof HTMLAnchorElement && $element.hasAttribute('download')) {
    $element.setAttribute('hx-boost', 'false')
  }
})

// htmx fires `htmx:load` on each element it adds to the page. Start from its
// parent so that an element which is itself a component root is found too.
document.addEventListener('htmx:load', (event) => {
  const $element = event.target
  if ($element instanceof Element) {
    start($element.parentElement || $element)
  }
  loadTimeoutWarningIfNeeded()
})

// "Print this page" buttons without inline handlers:
//   <button type="button" class="govuk-button govuk-button--secondary app-js-only"
//           data-module="app-print-button">Print this page</button>
document.addEventListener('click', (event) => {
  const $target = event.target instanceof Element ? event.target : null
  if ($target && $target.closest('[data-module="app-print-button"]')) {
    event.preventDefault()
    window.print()
  }
})
