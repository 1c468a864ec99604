// Session timeout warning (WCAG 2.2.1 Timing Adjustable), in the GOV.UK style.
//
// The server signs people out after a period of inactivity (settings.session_idle_seconds).
// The page carries that period on a <dialog data-module="app-timeout-warning">. A while before
// the end (data-warning-seconds, at least 2 minutes) the dialog opens as a modal: the rest of
// the page is inert, focus is kept inside it, and screen readers announce its heading and
// message. "Continue with your application" (or Escape) asks the server to extend the session;
// it can be done any number of times. When time runs out the browser goes to the page that
// says the application was closed on this device (people here have no account to sign out of).
//
// Timers check the wall clock every second rather than trusting one long setTimeout, which
// browsers delay in background tabs and while a laptop sleeps.

let current = null

// The words come from the page (data-text-minute="%{count} minute" ...), in the page's language.
function plural(count, texts, unit) {
  const text = count === 1 ? texts[unit] : texts[`${unit}s`]
  return text.replace('%{count}', String(count))
}

// "4 minutes", "1 minute", "45 seconds" (counts down in 15-second steps in the last minute
// for the live region, so screen readers are not interrupted every second).
function describe(seconds, forAnnouncement, texts) {
  if (seconds >= 60) {
    return plural(Math.ceil(seconds / 60), texts, 'minute')
  }
  const shown = forAnnouncement ? Math.max(15, Math.ceil(seconds / 15) * 15) : Math.max(seconds, 0)
  return plural(shown, texts, 'second')
}

const FOCUSABLE = 'a[href], button:not([disabled]), input:not([type="hidden"]):not([disabled]), [tabindex]:not([tabindex="-1"])'

class TimeoutWarning {
  constructor($dialog) {
    this.$dialog = $dialog
    this.timeout = Number($dialog.dataset.timeoutSeconds) * 1000
    this.warning = Number($dialog.dataset.warningSeconds) * 1000
    this.extendUrl = $dialog.dataset.extendUrl
    this.endedUrl = $dialog.dataset.endedUrl
    this.texts = {
      minute: $dialog.dataset.textMinute,
      minutes: $dialog.dataset.textMinutes,
      second: $dialog.dataset.textSecond,
      seconds: $dialog.dataset.textSeconds
    }
    this.$countdown = $dialog.querySelector('[data-timeout-countdown]')
    this.$announce = $dialog.querySelector('[data-timeout-announce]')
    this.$extend = $dialog.querySelector('[data-timeout-extend]')
    this.$csrf = $dialog.querySelector('[data-timeout-csrf]')
    this.$returnFocus = null
    this.lastAnnounced = ''
    this.extending = false
    this.onTick = () => this.tick()
    this.onKeydown = (event) => this.keydown(event)
    this.onCancel = (event) => {
      // Escape: close the dialog and carry on.
      event.preventDefault()
      this.extend()
    }
    this.onExtend = (event) => {
      event.preventDefault()
      this.extend()
    }
    this.$extend.addEventListener('click', this.onExtend)
    $dialog.addEventListener('cancel', this.onCancel)
    $dialog.addEventListener('keydown', this.onKeydown)
    this.restart()
    this.interval = window.setInterval(this.onTick, 1000)
  }

  stop() {
    window.clearInterval(this.interval)
    this.$extend.removeEventListener('click', this.onExtend)
    this.$dialog.removeEventListener('cancel', this.onCancel)
    this.$dialog.removeEventListener('keydown', this.onKeydown)
  }

  // The server's idle clock restarted (a page load, an htmx request, an extension).
  restart() {
    this.deadline = Date.now() + this.timeout
  }

  remaining() {
    return this.deadline - Date.now()
  }

  tick() {
    const left = this.remaining()
    // Leave a moment's margin, so the signed-out page is asked for while the session still
    // exists and can show the reference.
    if (left <= 2000) {
      this.signOut()
      return
    }
    if (left <= this.warning && !this.$dialog.open) this.open()
    if (this.$dialog.open) this.update(left)
  }

  update(left) {
    const seconds = Math.ceil(left / 1000)
    this.$countdown.textContent = describe(seconds, false, this.texts)
    const announcement = `${this.$announce.dataset.timeoutAnnounceText} ${describe(seconds, true, this.texts)}.`
    if (announcement !== this.lastAnnounced) {
      this.lastAnnounced = announcement
      this.$announce.textContent = announcement
    }
  }

  open() {
    this.$returnFocus = document.activeElement
    this.lastAnnounced = ''
    this.update(this.remaining())
    this.$dialog.showModal()
    this.$dialog.querySelector('#app-timeout-heading').focus()
  }

  close() {
    if (this.$dialog.open) this.$dialog.close()
    this.$announce.textContent = ''
    if (this.$returnFocus && typeof this.$returnFocus.focus === 'function') {
      this.$returnFocus.focus()
    }
  }

  async extend() {
    if (this.extending) return
    this.extending = true
    try {
      const response = await fetch(this.extendUrl, {
        method: 'POST',
        credentials: 'same-origin',
        headers: { 'X-CSRF-Token': this.$csrf.value, Accept: 'application/json' }
      })
      if (!response.ok) {
        this.signOut()
        return
      }
      this.restart()
      this.close()
    } catch (error) {
      // Offline for a moment: keep the dialog open so the person can try again.
      this.$announce.textContent = 'We could not reach the service. Try again.'
    } finally {
      this.extending = false
    }
  }

  signOut() {
    this.stop()
    window.location.href = this.endedUrl
  }

  // Keep Tab and Shift+Tab inside the dialog while it is open.
  keydown(event) {
    if (event.key !== 'Tab') return
    const focusable = Array.from(this.$dialog.querySelectorAll(FOCUSABLE))
    if (focusable.length === 0) return
    const first = focusable[0]
    const last = focusable[focusable.length - 1]
    const active = document.activeElement
    if (event.shiftKey && (active === first || !this.$dialog.contains(active) || active.id === 'app-timeout-heading')) {
      event.preventDefault()
      last.focus()
    } else if (!event.shiftKey && active === last) {
      event.preventDefault()
      first.focus()
    }
  }
}

// Start the warning for the dialog on this page, if there is one (again after an htmx swap).
function startTimeoutWarning() {
  const $dialog = document.querySelector('[data-module="app-timeout-warning"]')
  if (current && current.$dialog === $dialog) return
  if (current) {
    current.stop()
    current = null
  }
  if ($dialog && typeof $dialog.showModal === 'function') {
    current = new TimeoutWarning($dialog)
  }
}

// Any request to the server (htmx or not) restarts its idle clock.
document.addEventListener('htmx:afterRequest', () => {
  if (current) current.restart()
})

// Loaded on every page (htmx does not run scripts in the pages it swaps in), so look for the
// dialog now and whenever htmx puts new content on the page.
startTimeoutWarning()
document.addEventListener('htmx:load', () => startTimeoutWarning())
