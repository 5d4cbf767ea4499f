import { cgpemChunks } from '../generate/cgpem-file.js'
import { ALL_NATURES, PecgmIdentifiers, qualificationOrientations, type SampleIdentity } from '../generate/qualification-cgpem.js'
import { parseIsoDate, todayDay } from '../layouts/dates.js'
import { readPecgm } from '../layouts/pecgm-reader.js'
import { optionalInteger, parseCommandArgs, requireString, usageError } from './args.js'
import { say, type CliIo } from './io.js'

export const QUALIFY_HELP = `Usage : phebus-mock qualify --url URL --user UTILISATEUR --password MOT_DE_PASSE [options]

Joue un département qui fait tout bien, contre n'importe quel serveur phebus-mock : il télécharge
l'échantillon, dépose un CGPEM qui utilise les six natures, télécharge le PECGM déposé en retour,
dépose un second CGPEM avec les identifiants Pôle emploi, puis affiche les contrôles et le verdict.

  --url URL                  l'adresse du serveur (par exemple http://127.0.0.1:8080)
  --user, --password         le compte du département (par exemple dept77 / demo-77)
  --skip-nature NN           n'utilise pas la nature NN (01 à 06) : le contrôle « natures » échoue
  --forget-identifiers       le second CGPEM n'a pas les identifiants : « aller-retour » échoue
  --approve                  valide le bilan au nom du département à la fin
  --wait SECONDES            attente maximale du PECGM déposé en retour (par défaut 30)

Les mêmes CGPEM, à la main : « phebus-mock sample cgpem --qualification » écrit le premier (mêmes
personnes, natures et dates), et avec « --pecgm FICHIER » (le PECGM déposé en retour) le second ;
voir « phebus-mock sample --help ».

Contre un serveur HTTPS à certificat auto-signé : NODE_EXTRA_CA_CERTS=DOSSIER_DE_DONNEES/tls/cert.pem phebus-mock qualify …

Code de sortie : 0 verdict positif, 1 verdict négatif ou en cours, 2 serveur injoignable ou refus.`

interface FileEntry { name: string, kind: string, createdAt: string, size: number }
interface Check { id: string, title: string, status: string, reason?: string }
interface Qualification { iteration: number, step: number, verdict: string, checks: Check[], planning: { debut: string, fin: string } }

class Client {
  constructor (private readonly base: string, private readonly auth: string, private readonly io: CliIo) {}

  async request (method: string, path: string, init: { body?: Buffer, accept?: string, type?: string } = {}): Promise<Response> {
    let res: Response
    try {
      res = await fetch(new URL(path, this.base), {
        method,
        headers: { authorization: this.auth, accept: init.accept ?? 'application/json', ...(init.type ? { 'content-type': init.type } : {}) },
        ...(init.body ? { body: init.body } : {})
      })
    } catch (err) {
      throw usageError(`phebus-mock qualify : serveur injoignable à ${this.base} (${(err as Error).cause instanceof Error ? ((err as Error).cause as Error).message : (err as Error).message}).`)
    }
    return res
  }

  async json<T> (method: string, path: string, init: { body?: Buffer, type?: string } = {}, ok = [200]): Promise<T> {
    const res = await this.request(method, path, init)
    const text = await res.text()
    if (!ok.includes(res.status)) throw usageError(`phebus-mock qualify : ${method} ${path} a répondu ${res.status} : ${text.slice(0, 300)}`)
    return JSON.parse(text) as T
  }
}

export async function qualifyCommand (args: string[], io: CliIo): Promise<number> {
  const { values } = parseCommandArgs('qualify', args, {
    url: { type: 'string' },
    user: { type: 'string' },
    password: { type: 'string' },
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
  const password = requireString('qualify', values, 'password')
  const skip = values['skip-nature']
  if (skip !== undefined && !ALL_NATURES.includes(String(skip))) throw usageError(`phebus-mock qualify : --skip-nature attend 01 à 06, lu « ${String(skip)} ».`)
  const wait = optionalInteger('qualify', values, 'wait', 0, 3600) ?? 30
  const api = new Client(url, `Basic ${Buffer.from(`${user}:${password}`).toString('base64')}`, io)
  const stamp = new Date(io.now()).toISOString().replace(/[-:]/g, '').slice(0, 15)
  const step = (n: number, text: string): void => say(io.stdout, `${n}. ${text}`)

  // only what happens after the start counts: explorations before it, and earlier iterations, are left aside
  const q0 = await api.json<Qualification>('POST', '/api/v1/qualification/start', {}, [201])
  step(1, `connecté en tant que ${user} : qualification commencée, itération ${q0.iteration}, étape ${q0.step}`)
  // « today » is the server's (its clock may be set): the day the qualification started
  const today = parseIsoDate(q0.planning.debut) ?? todayDay(io.now())

  const sample = await api.json<SampleIdentity[]>('GET', '/api/v1/qualification/sample')
  step(2, `échantillon téléchargé : ${sample.length} personnes`)

  const natures = ALL_NATURES.filter((n) => n !== skip)
  const first = Buffer.concat([...cgpemChunks(qualificationOrientations(sample, today, { natures }), 'xml')])
  const firstName = `CGPEM_${user}_${stamp}_it${q0.iteration}_1.xml`
  const up1 = await api.json<{ report: { valid: boolean, id: string, stats: { records: number, warnings: number } } }>('POST', `/api/v1/files?name=${firstName}`, { body: first, type: 'application/xml' }, [201, 422])
  step(3, `CGPEM de stock déposé : ${firstName}, ${up1.report.stats.records} orientations, ${up1.report.valid ? 'accepté' : 'refusé'} (rapport ${up1.report.id}, ${up1.report.stats.warnings} avertissement(s))`)
  if (!up1.report.valid) return finish(api, io, values.approve === true)

  let pecgm: FileEntry | undefined
  for (let waited = 0; ; waited++) {
    const files = await api.json<{ files: FileEntry[] }>('GET', '/api/v1/files')
    pecgm = files.files.filter((f) => f.kind === 'PECGM').sort((a, b) => a.createdAt < b.createdAt ? 1 : -1).find((f) => f.name.includes('_M_'))
    const after = pecgm && files.files.find((f) => f.name === firstName)
    if (pecgm && after && pecgm.createdAt >= after.createdAt) break
    if (waited >= wait) {
      say(io.stderr, `Aucun PECGM déposé en retour après ${wait} s.`)
      return finish(api, io, values.approve === true)
    }
    await new Promise((resolve) => setTimeout(resolve, 1000))
  }
  const res = await api.request('GET', `/api/v1/files/${encodeURIComponent(pecgm.name)}`, { accept: 'text/plain' })
  const bytes = Buffer.from(await res.arrayBuffer())
  const read = readPecgm(bytes)
  const details = read.records.filter((r) => r.type === 'D')
  step(4, `PECGM déposé en retour téléchargé : ${pecgm.name}, ${bytes.length} octets, ${details.length} personne(s) connue(s) de Pôle emploi${read.problems.length > 0 ? `, ${read.problems.length} problème(s) de lecture` : ''}`)

  const found = new PecgmIdentifiers(sample)
  if (values['forget-identifiers'] !== true) found.add(details.map((d) => d.values))
  const identifiers = found.byPerson
  const second = Buffer.concat([...cgpemChunks(qualificationOrientations(sample, today, { natures, identifiers }), 'xml')])
  const secondName = `CGPEM_${user}_${stamp}_it${q0.iteration}_2.xml`
  const up2 = await api.json<{ report: { valid: boolean, id: string } }>('POST', `/api/v1/files?name=${secondName}`, { body: second, type: 'application/xml' }, [201, 422])
  step(5, `second CGPEM déposé avec ${identifiers.size} identifiant(s) Pôle emploi : ${secondName}, ${up2.report.valid ? 'accepté' : 'refusé'} (rapport ${up2.report.id})`)
  return finish(api, io, values.approve === true)
}

const MARKS: Record<string, string> = { passed: '✔', failed: '✘', todo: '…' }

async function finish (api: Client, io: CliIo, approve: boolean): Promise<number> {
  const q = await api.json<Qualification>('GET', '/api/v1/qualification')
  say(io.stdout, '\nContrôles :')
  for (const c of q.checks) {
    say(io.stdout, `  ${MARKS[c.status] ?? c.status} ${c.id} : ${c.title}`)
    if (c.reason) say(io.stdout, `      ${c.reason}`)
  }
  say(io.stdout, `\nVerdict : ${q.verdict}`)
  if (approve) {
    await api.json('POST', '/api/v1/qualification/approval', {}, [200])
    say(io.stdout, 'Bilan validé au nom du département.')
  }
  return q.verdict === 'positif' ? 0 : 1
}
