import type { Bilan } from './bilan.js'
import { approvalText, dateFr, dateTimeFr, STATUS_WORDS, suiteText } from './render.js'

/** The bilan as a printable HTML page (French, self-contained, no script). */

function esc (s: string | number): string {
  return String(s).replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', '\'': '&#39;' })[c] as string)
}

export function bilanHtml (b: Bilan): string {
  const rows = b.checks.map((c) => `
      <tr class="${c.status}">
        <td>${esc(c.id)}</td>
        <td>${esc(c.title)}${c.required ? '' : ' <em>(facultatif)</em>'}${c.reason ? `<div class="reason">${esc(c.reason)}</div>` : ''}</td>
        <td class="status">${esc(STATUS_WORDS[c.status])}</td>
        <td><ul>${c.evidence.map((e) => `<li>${esc(e.what)}${e.file ? ` — <code>${esc(e.file)}</code>` : ''}${e.sha256 ? ` <small>SHA-256 ${esc(e.sha256)}</small>` : ''}${e.reportId ? ` <small>rapport ${esc(e.reportId)}</small>` : ''}${e.at ? ` <small>${esc(dateTimeFr(e.at))}</small>` : ''}</li>`).join('')}</ul></td>
      </tr>`).join('')
  const people = b.correspondents.map((r) => `
      <tr><td>${esc(r.libelle)}</td>
        <td>${esc(`${r.poleEmploi.prenom} ${r.poleEmploi.nom}`)}, ${esc(r.poleEmploi.fonction)}<br><small>${esc(r.poleEmploi.telephone)} · ${esc(r.poleEmploi.email)}</small></td>
        <td>${esc(`${r.departement.prenom} ${r.departement.nom}`)}, ${esc(r.departement.fonction)}<br><small>${esc(r.departement.telephone)} · ${esc(r.departement.email)}</small></td></tr>`).join('')
  const fix = b.suite.etape === 2 ? `<ul>${b.suite.aCorriger.map((x) => `<li>${esc(x)}</li>`).join('')}</ul>` : ''
  return `<!doctype html>
<html lang="fr">
<head>
<meta charset="utf-8">
<title>Bilan de qualification — département ${esc(b.departement.code)}, itération ${esc(b.iteration)}</title>
<style>
  body { font: 11pt/1.4 system-ui, sans-serif; margin: 2em auto; max-width: 60em; color: #111; }
  h1 { font-size: 1.5em; margin-bottom: 0.2em; } h2 { font-size: 1.15em; margin-top: 1.5em; }
  table { border-collapse: collapse; width: 100%; } td, th { border: 1px solid #999; padding: 0.3em 0.5em; vertical-align: top; text-align: left; }
  tr.passed .status { color: #075; font-weight: bold; } tr.failed .status { color: #b00; font-weight: bold; } tr.todo .status { color: #666; }
  .reason { color: #b00; margin-top: 0.3em; } .verdict { font-size: 1.3em; font-weight: bold; }
  .seal { font-family: monospace; word-break: break-all; border: 1px solid #333; padding: 0.5em; }
  small { color: #555; } ul { margin: 0; padding-left: 1.2em; }
  @media print { body { margin: 0; max-width: none; } }
</style>
</head>
<body>
<p>Données fictives produites par phebus-mock, serveur d'échange factice : ce document n'engage aucune partie réelle.</p>
<h1>Bilan de qualification</h1>
<p>${esc(b.convention.modele)} — ${esc(b.convention.annexe)}<br>
Parties : ${esc(b.convention.parties[0])} et ${esc(b.convention.parties[1])} (${esc(b.departement.code)})<br>
Itération ${esc(b.iteration)} · émis le ${esc(dateTimeFr(b.issuedAt))} · planning du ${esc(dateFr(b.planning.debut))} au ${esc(dateFr(b.planning.fin))}</p>
<h2>Correspondants</h2>
<table><tr><th>Rôle (annexe 5)</th><th>Pôle emploi</th><th>Département</th></tr>${people}</table>
<h2>Plan de qualification</h2>
<table><tr><th>Contrôle</th><th>Intitulé</th><th>Résultat</th><th>Preuves</th></tr>${rows}</table>
<h2>Verdict</h2>
<p class="verdict">${b.verdict === 'positif' ? 'Positif' : 'Négatif'}</p>
<p>${esc(suiteText(b))}</p>${fix}
<h2>Validations</h2>
<p>${esc(approvalText('Département', b.approvals.departement))}<br>${esc(approvalText('Pôle emploi', b.approvals.poleEmploi))}<br>
${b.final ? 'Validé par les deux parties : ce bilan est définitif.' : 'Ce bilan n\'est pas encore validé par les deux parties.'}</p>
<h2>Sceau</h2>
<p>SHA-256 du JSON canonique du bilan :</p>
<p class="seal">${esc(b.seal)}</p>
</body>
</html>
`
}
