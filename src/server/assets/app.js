// phebus-mock, partner interface: comfort only. Every form works without this file.
'use strict'
;(function setUpUpload () {
  // « Envoyer un fichier »: drag and drop onto the form, and a progress bar while a large file goes up. Set up again
  // on the page that replaces this one when the server refuses a file (its form is a new element)
  const form = document.querySelector('form[data-upload]')
  if (!form) return
  const input = form.querySelector('input[type=file]')
  const drop = form.querySelector('[data-drop]')
  const bar = form.querySelector('[data-progress]')
  const text = form.querySelector('[data-progress-text]')
  drop.hidden = false
  drop.addEventListener('dragover', function (e) { e.preventDefault(); drop.classList.add('over') })
  drop.addEventListener('dragleave', function () { drop.classList.remove('over') })
  drop.addEventListener('drop', function (e) {
    e.preventDefault()
    drop.classList.remove('over')
    if (e.dataTransfer && e.dataTransfer.files.length > 0) {
      input.files = e.dataTransfer.files
      drop.querySelector('p').textContent = 'Fichier choisi : ' + e.dataTransfer.files[0].name
    }
  })
  form.addEventListener('submit', function (e) {
    if (!input.files || input.files.length === 0 || typeof XMLHttpRequest === 'undefined') return
    e.preventDefault()
    const xhr = new XMLHttpRequest()
    xhr.open('POST', form.action)
    bar.hidden = false
    text.hidden = false
    // the bar follows each event; the status line (read aloud by a screen reader at each change) says each ten percent only
    let said = -1
    xhr.upload.addEventListener('progress', function (p) {
      if (!p.lengthComputable) return
      const pct = Math.floor(p.loaded * 100 / p.total)
      bar.value = pct
      const tens = pct - pct % 10
      if (tens === said) return
      said = tens
      text.textContent = 'Envoi : ' + tens + ' %'
    })
    xhr.addEventListener('load', function () {
      // the server answers as it does without script: a redirect to the report page, or the form again with its error
      if (xhr.status < 400 && xhr.responseURL) {
        window.location.assign(xhr.responseURL)
        return
      }
      const page = new DOMParser().parseFromString(xhr.responseText, 'text/html')
      document.title = page.title
      document.body.replaceWith(page.body)
      setUpUpload()
      const summary = document.querySelector('.error-summary')
      if (summary) summary.focus()
    })
    xhr.addEventListener('error', function () {
      form.querySelector('button[type=submit]').disabled = false
      text.textContent = 'L\'envoi a échoué : la connexion a été coupée. Réessayez.'
    })
    form.querySelector('button[type=submit]').disabled = true
    xhr.send(new FormData(form))
  })
})()

;(function () {
  // « La salle » (the console): the rows fetched again every few seconds and replaced when they changed; paused while the tab is hidden.
  const body = document.querySelector('tbody[data-refresh]')
  if (!body || typeof fetch === 'undefined') return
  const url = body.getAttribute('data-refresh')
  const status = document.querySelector('[data-refresh-status]')
  const every = 5000
  let timer = null
  let stopped = false

  function say (text) {
    if (status) status.textContent = text
  }

  function schedule () {
    clearTimeout(timer)
    if (!stopped && !document.hidden) timer = setTimeout(refresh, every)
  }

  function refresh () {
    fetch(url, { headers: { accept: 'text/html' }, credentials: 'same-origin', cache: 'no-store' }).then(function (res) {
      // an ended session answers with the login page: stop, and say so
      if (res.redirected || !res.ok) {
        stopped = true
        say('Mise à jour automatique arrêtée (session terminée ou serveur indisponible) : actualisez la page.')
        return null
      }
      return res.text()
    }).then(function (html) {
      if (html === null) return
      // parsed in a tbody, so that both sides are serialised the same way
      const next = document.createElement('tbody')
      next.innerHTML = html
      if (next.innerHTML !== body.innerHTML) {
        // a keyboard user on a link of the rows keeps it: the same link in the new rows, else the table's region
        const focused = body.contains(document.activeElement) ? document.activeElement.getAttribute('href') : undefined
        body.replaceChildren.apply(body, Array.from(next.childNodes))
        if (focused !== undefined) {
          const again = Array.from(body.querySelectorAll('a[href]')).find(function (a) { return a.getAttribute('href') === focused })
          const region = body.closest('[tabindex]')
          if (again) again.focus()
          else if (region) region.focus()
        }
        say('Tableau mis à jour à ' + new Date().toLocaleTimeString('fr-FR') + '.')
      }
    }).catch(function () {
      // the network is gone for a moment: try again at the next turn
    }).then(schedule)
  }

  document.addEventListener('visibilitychange', function () {
    if (document.hidden) clearTimeout(timer)
    else if (!stopped) refresh()
  })
  schedule()
})()

;(function () {
  // « Pannes » (the console): only the fields the chosen fault uses, and what it does under the list. Without this, every field shows and the server reads only the chosen fault's.
  const form = document.querySelector('form[data-fault-form]')
  if (!form) return
  const select = form.querySelector('select[name=code]')
  const effect = form.querySelector('[data-fault-effect]')
  const note = form.querySelector('[data-fault-note]')
  const parts = form.querySelectorAll('[data-for]')

  function update () {
    const option = select.options[select.selectedIndex]
    const code = select.value
    const group = option && option.parentElement
    const family = group && group.tagName === 'OPTGROUP' ? group.getAttribute('data-family') : ''
    parts.forEach(function (el) {
      const wanted = el.getAttribute('data-for').split(' ')
      el.hidden = code === '' || (wanted.indexOf(code) < 0 && wanted.indexOf(family) < 0)
    })
    if (effect) effect.textContent = code === '' ? '' : (option.getAttribute('data-effect') || '')
  }

  if (note) note.hidden = true
  select.addEventListener('change', update)
  update()
})()

;(function () {
  // A refused form (the console's and the département's): its error summary takes the focus, so that a keyboard or a screen reader starts there.
  const summary = document.querySelector('.error-summary[data-focus]')
  if (summary) summary.focus()
})()
