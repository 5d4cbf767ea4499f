// phebus-mock, partner interface: comfort only. Every form works without this file.
'use strict'
;(function () {
  // « Envoyer un fichier »: drag and drop onto the form, and a progress bar while a large file goes up.
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
    xhr.upload.addEventListener('progress', function (p) {
      if (!p.lengthComputable) return
      const pct = Math.floor(p.loaded * 100 / p.total)
      bar.value = pct
      text.textContent = 'Envoi : ' + pct + ' %'
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
      const summary = document.querySelector('.error-summary')
      if (summary) summary.focus()
    })
    xhr.addEventListener('error', function () {
      text.textContent = 'L\'envoi a échoué : la connexion a été coupée. Réessayez.'
    })
    form.querySelector('button[type=submit]').disabled = true
    xhr.send(new FormData(form))
  })
})()
