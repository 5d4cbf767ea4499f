import { createHash } from 'node:crypto'
import { cgpemChunks } from '../generate/cgpem-file.js'
import { ALL_NATURES, PecgmIdentifiers, qualificationOrientations, type SampleIdentity } from '../generate/qualification-cgpem.js'
import { PhebusError } from '../errors.js'
import { calendarDay } from '../clock.js'
import { parseIsoDate } from '../layouts/dates.js'
import { readPecgm } from '../layouts/pecgm-reader.js'
import { optionalChoice, optionalInteger, parseCommandArgs, requireString, usageError } from './args.js'
import { say, type CliIo } from './io.js'
import { parseServerUrl, QualifyClient, refusal, unreachable } from './qualify-client.js'
import { QUALIFY_FORMATS, qualifyJson, qualifyJunit, qualifyText, type QualifyCheck, type QualifyRun } from './qualify-output.js'

export const QUALIFY_HELP = `Usage : phebus-mock qualify --url URL --user UTILISATEUR [--password MOT_DE_PASSE] [options]

Joue un département qui fait tout bien, contre n'importe quel serveur phebus-mock : il commence
une nouvelle itération de la qualification, télécharge l'échantillon, dépose un CGPEM qui utilise
les six natures, télécharge le PECGM déposé en retour, dépose un second CGPEM avec les
identifiants Pôle emploi, puis affiche les contrôles et le verdict.

Commencer une itération ferme celle qui est ouverte, avec son bilan tel qu'il est : une campagne
menée à la main et en cours (pages, curl) est close aussi, et ce qu'elle avait prouvé ne compte
plus pour la nouvelle.

  --url URL                  l'adresse du serveur (par exemple http://127.0.0.1:8080)
  --user UTILISATEUR         le compte du département (par exemple dept77)
  --password MOT_DE_PASSE    son mot de passe (par exemple demo-77) ; sinon PHEBUS_PASSWORD, qui
                             ne se voit pas dans la liste des processus
  --format text|json|junit   text (par défaut) : les étapes, les contrôles et le verdict ; json : un
                             document à la fin ; junit : un cas de test par contrôle, pour la CI
  --skip-nature NN           n'utilise pas la nature NN (01 à 06) : le contrôle « natures » échoue
  --forget-identifiers       le second CGPEM n'a pas les identifiants : « aller-retour » échoue
  --approve                  valide le bilan au nom du département à la fin
  --wait SECONDES            attente maximale du PECGM déposé en retour, puis des nouveaux essais
                             de son téléchargement (par défaut 30)

Le PECGM déposé en retour est téléchargé en entier, sa taille et son SHA-256 comparés à ceux que
donne le serveur ; refusé un moment (429, 500, 502, 503, après son Retry-After) ou coupé en route,
il est téléchargé de nouveau (5 essais au plus), comme le ferait un département qui fait tout bien.

Les mêmes CGPEM, à la main : « phebus-mock sample cgpem --qualification » écrit le premier (mêmes
personnes, natures et dates), et avec « --pecgm FICHIER » (le PECGM déposé en retour) le second ;
voir « phebus-mock sample --help ».

Contre un serveur HTTPS à certificat auto-signé : NODE_EXTRA_CA_CERTS=DOSSIER_DE_DONNEES/tls/cert.pem phebus-mock qualify …

Codes de sortie, comme validate : 0 verdict positif, 1 verdict négatif ou en cours, 2 serveur
injoignable, refus (identifiants, compte bloqué…) ou arguments invalides.`

interface Qualification {
  iteration: number
  step: number
  verdict: string
  checks: QualifyCheck[]
  planning: { debut: string, fin: string }
  /** the answer PECGM the open iteration cites */
  answer: Answer | null
}

interface Answer { name: string, answerTo: string, size: number, sha256: string }

export async function qualifyCommand (args: string[], io: CliIo): Promise<number> {
  const { values } = parseCommandArgs('qualify', args, {
    url: { type: 'string' },
    user: { type: 'string' },
    password: { type: 'string' },
    format: { type: 'string' },
    'skip-nature': { type: 'string' },
    'forget-identifiers': { type: 'boolean' },
    approve: { type: 'boolean' },
    wait: { type: 'string' }
  })
  if (values.help) {
    say(io.stdout, QUALIFY_HELP)
    return 0
  }
  const url = requireString('qualify', values, 'url')
  const user = requireString('qualify', values, 'user')
  // given empty (--password "$PW", PW unset): a mistake, never PHEBUS_PASSWORD's account instead, as serve refuses an empty option
  if (values.password === '') throw usageError('--password est vide : donnez le mot de passe, ou retirez l\'option pour lire PHEBUS_PASSWORD. Voir « phebus-mock qualify --help ».')
  const password = typeof values.password === 'string' ? values.password : io.env.PHEBUS_PASSWORD
  if (password === undefined || password === '') throw usageError('le mot de passe manque : --password, ou la variable PHEBUS_PASSWORD. Voir « phebus-mock qualify --help ».')
  const format = optionalChoice('qualify', values, 'format', QUALIFY_FORMATS) ?? 'text'
  const skip = values['skip-nature']
  if (skip !== undefined && !ALL_NATURES.includes(String(skip))) throw usageError(`--skip-nature attend 01 à 06, lu « ${String(skip)} ».`)
  const wait = optionalInteger('qualify', values, 'wait', 0, 3600) ?? 30

  const run: QualifyRun = { user, url, iteration: null, step: null, steps: [], checks: [], verdict: null, approved: false, error: null, exitCode: 2 }
  const step = (text: string): void => {
    const n = run.steps.length + 1
    run.steps.push({ n, text })
    if (format === 'text') say(io.stdout, `${n}. ${text}`)
  }
  try {
    const api = new QualifyClient(parseServerUrl(url), `Basic ${Buffer.from(`${user}:${password}`).toString('base64')}`)
    await play(api, run, step, io, { skip, forget: values['forget-identifiers'] === true, wait })
    const q = await api.json<Qualification>('GET', '/api/v1/qualification')
    run.checks = q.checks.map(({ id, title, status, reason }) => ({ id, title, status, ...(reason ? { reason } : {}) }))
    run.verdict = q.verdict
    run.step = q.step
    if (values.approve === true) {
      // the bilan approved is named by its seal: one changed since it was read is refused (409), never approved unseen
      const { seal } = await api.json<{ seal: string }>('GET', '/api/v1/qualification/bilan')
      await api.json('POST', `/api/v1/qualification/approval?seal=${encodeURIComponent(seal)}`, {}, [200])
      run.approved = true
    }
    run.exitCode = q.verdict === 'positif' ? 0 : 1
  } catch (err) {
    // in text, the error is said as every command says it; json and junit carry it in their document as well
    if (!(err instanceof PhebusError) || format === 'text') throw err
    run.error = { code: err.code, message: err.message }
    say(io.stderr, `phebus-mock qualify : ${err.message} [${err.code}]`)
  }
  say(io.stdout, format === 'json' ? qualifyJson(run) : format === 'junit' ? qualifyJunit(run) : qualifyText(run))
  return run.exitCode
}

interface PlayOptions { skip: string | boolean | undefined, forget: boolean, wait: number }

/** The département's part: start, sample, first CGPEM, the PECGM in return, the second CGPEM. */
async function play (api: QualifyClient, run: QualifyRun, step: (text: string) => void, io: CliIo, o: PlayOptions): Promise<void> {
  const user = run.user
  const stamp = new Date(io.now()).toISOString().replace(/[-:]/g, '').slice(0, 15)
  // only what happens after the start counts: explorations before it, and earlier iterations, are left aside
  const q0 = await api.json<Qualification>('POST', '/api/v1/qualification/start', {}, [201])
  run.iteration = q0.iteration
  run.step = q0.step
  step(`connecté en tant que ${user} : qualification commencée, itération ${q0.iteration}, étape ${q0.step}`)
  // « today » is the server's (its clock may be set): the day the qualification started
  const today = parseIsoDate(q0.planning.debut) ?? calendarDay(io.now())

  const sample = await api.json<SampleIdentity[]>('GET', '/api/v1/qualification/sample')
  step(`échantillon téléchargé : ${sample.length} personnes`)

  const natures = ALL_NATURES.filter((n) => n !== o.skip)
  const first = Buffer.concat([...cgpemChunks(qualificationOrientations(sample, today, { natures }), 'xml')])
  const firstName = `CGPEM_${user}_${stamp}_it${q0.iteration}_1.xml`
  const up1 = await api.json<{ report: { valid: boolean, id: string, stats: { records: number, warnings: number } } }>('POST', `/api/v1/files?name=${firstName}`, { body: first, type: 'application/xml' }, [201, 422])
  step(`CGPEM de stock déposé : ${firstName}, ${up1.report.stats.records} orientations, ${up1.report.valid ? 'accepté' : 'refusé'} (rapport ${up1.report.id}, ${up1.report.stats.warnings} avertissement(s))`)
  if (!up1.report.valid) return

  // the answer the iteration cites (GET /api/v1/qualification, answer): the one made for this upload, whatever else the list holds
  let answer: Qualification['answer'] = null
  for (let waited = 0; ; waited++) {
    answer = (await api.json<Qualification>('GET', '/api/v1/qualification')).answer
    if (answer?.answerTo === firstName) break
    if (waited >= o.wait) {
      step(`aucun PECGM déposé en retour après ${o.wait} s`)
      return
    }
    await new Promise((resolve) => setTimeout(resolve, 1000))
  }
  const pecgm = answer
  const { bytes, tries } = await downloadWhole(api, pecgm, o.wait)
  const read = readPecgm(bytes)
  const details = read.records.filter((r) => r.type === 'D')
  step(`PECGM déposé en retour téléchargé : ${pecgm.name}, ${bytes.length} octets, ${details.length} personne(s) connue(s) de Pôle emploi${read.problems.length > 0 ? `, ${read.problems.length} problème(s) de lecture` : ''}${tries > 1 ? `, au ${tries}e essai` : ''}`)

  const found = new PecgmIdentifiers(sample)
  if (!o.forget) found.add(details.map((d) => d.values))
  const identifiers = found.byPerson
  const orientations = qualificationOrientations(sample, today, { natures, identifiers })
  // what the file carries: an identifier on each orientation to Pôle emploi of a person the PECGM holds, not one per person it holds
  const carried = orientations.filter((x) => x.IDENTIFIANT_PE !== undefined && x.IDENTIFIANT_PE !== '').length
  const second = Buffer.concat([...cgpemChunks(orientations, 'xml')])
  const secondName = `CGPEM_${user}_${stamp}_it${q0.iteration}_2.xml`
  const up2 = await api.json<{ report: { valid: boolean, id: string } }>('POST', `/api/v1/files?name=${secondName}`, { body: second, type: 'application/xml' }, [201, 422])
  step(`second CGPEM déposé avec ${carried} identifiant(s) Pôle emploi : ${secondName}, ${up2.report.valid ? 'accepté' : 'refusé'} (rapport ${up2.report.id})`)
}

/** Tries at most at downloading the answer PECGM. */
const DOWNLOAD_TRIES = 5
/** The statuses a download is tried again after: the server busy or failing for a while (docs/pannes.md). */
const TRANSIENT = new Set([429, 500, 502, 503])

/**
 * The answer PECGM, whole: its size and SHA-256 those the server gives for it.
 * As a département doing it right (docs/pannes.md), a download refused for a
 * while (429, 500, 502, 503: after its Retry-After) or cut on the way is tried
 * again, up to DOWNLOAD_TRIES times and `wait` seconds of waiting in all; a
 * piece is never read as the file. Then a refusal (PHEBUS_QUALIFY_REFUSED) or
 * an unreachable server (PHEBUS_QUALIFY_UNREACHABLE), said in French.
 */
async function downloadWhole (api: QualifyClient, answer: Answer, wait: number): Promise<{ bytes: Buffer, tries: number }> {
  const path = `/api/v1/files/${encodeURIComponent(answer.name)}`
  let waited = 0
  for (let tries = 1; ; tries++) {
    let failure: PhebusError
    let pause = 1
    try {
      const res = await api.request('GET', path, { accept: 'text/plain' })
      if (res.status !== 200) {
        const body = await res.text().catch(() => '')
        const retryAfter = res.headers.get('retry-after')
        failure = refusal('GET', path, res.status, body, retryAfter)
        if (!TRANSIENT.has(res.status)) throw failure
        pause = Math.max(1, Number(retryAfter) || 1)
      } else {
        const bytes = await res.arrayBuffer().then((b) => Buffer.from(b), () => null)
        if (bytes !== null && bytes.length === answer.size && createHash('sha256').update(bytes).digest('hex') === answer.sha256) return { bytes, tries }
        failure = unreachable(`GET ${path} : téléchargement incomplet, ${bytes === null ? 'connexion coupée par le serveur en cours de route' : `${bytes.length} octets reçus sur ${answer.size}${bytes.length === answer.size ? ', empreinte SHA-256 différente de celle que donne le serveur' : ''}`}.`)
      }
    } catch (err) {
      // refused for good (401, 404…): no use trying again
      if (!(err instanceof PhebusError) || err.code !== 'PHEBUS_QUALIFY_UNREACHABLE') throw err
      failure = err
    }
    if (tries >= DOWNLOAD_TRIES || waited + pause > wait) throw failure
    waited += pause
    await new Promise((resolve) => setTimeout(resolve, pause * 1000))
  }
}
