import { createReadStream } from 'node:fs'
import { damageProblemForSize } from '../../faults/damage.js'
import { mix32 } from '../../generate/rng.js'
import { FAULT_CODES, faultSpec, isDamageCode, isHttpFaultCode, type DamageCode, type DepositTarget, type FaultInput, type FaultView, type HttpFaultCode, type RouteTarget } from '../../faults/model.js'
import type { Scenario } from '../../scenarios/model.js'
import { USED_UP, type FaultRepository, type NewFault, type StoredFault } from '../../storage/faults.js'
import type { StoredFile } from '../../storage/files.js'
import { ServerError } from '../errors.js'
import { systemEntry, type FileService } from './files.js'

/**
 * The faults set on the départements (docs/pannes.md): set by the admin
 * (API, console) or by the scenario, listed, lifted; spent one deposit or
 * one request at a time. The active faults of a département are read once
 * per change, not once per request: most départements have none, and their
 * requests must cost nothing more for it.
 */

/** A damage about to be made on a deposit: which fault, with which seed. */
export interface DamageOrder {
  faultId: number
  code: DamageCode
  seed: number
}

/** What a request of a département is, for an HTTP fault: its kind, and the file it names (if it names one). */
export interface RequestTarget {
  route: Exclude<RouteTarget, 'any'> | null
  file: string | null
  /**
   * Whether the answer has no body to slow or cut (a HEAD, a download
   * answered 304): a slow-body or reset-after fault would do nothing there,
   * and is left for a request it changes. Asked only when such a fault is
   * the one about to apply (it may look the file up).
   */
  bodiless?: () => boolean
}

/** The faults that act on an answer's body as it goes out (faults-wire.ts). */
/** Active faults a département may have: each is looked at by each of its requests. */
export const MAX_ACTIVE_FAULTS = 100
/** Lifted faults a page of the list holds, by default and at most. */
export const FAULT_PAGE = 500

const ON_THE_BODY: ReadonlySet<string> = new Set(['slow-body', 'reset-after'])

/** How the HTTP faults of a request's matching fault are applied (plugins/app/faults.ts). */
export type HttpFault = StoredFault & { code: HttpFaultCode }

const DEPOSIT_TEXT: Readonly<Record<DepositTarget, string>> = { stock: 'prochain stock mensuel', flux: 'prochain flux quotidien', any: 'prochain dépôt' }
const ROUTE_TEXT: Readonly<Record<RouteTarget, string>> = { download: 'téléchargements', upload: 'envois', list: 'listes de fichiers', any: 'toutes les requêtes' }

/** Deposits a damaged copy of a PECGM already deposited (a fault that names a file); given by the deposits module, which knows how. */
export type DepositDamagedCopy = (file: StoredFile, order: DamageOrder) => Promise<StoredFile[]>

export class FaultService {
  private cached = new Map<string, StoredFault[]>()
  private cachedVersion = -1
  /** the deposits under way of each département, settled or not: the next one waits for them (oneDepositAtATime) */
  private readonly depositing = new Map<string, Promise<void>>()
  /** set once the deposits are wired (plugins/app/faults.ts) */
  depositCopy: DepositDamagedCopy | null = null
  /** deposits the correct version of a département's damaged deposits (deposits.ts) */
  repairer: ((departement: string) => Promise<StoredFile[]>) | null = null

  constructor (
    private readonly repo: FaultRepository,
    private readonly scenario: Scenario,
    private readonly files: FileService,
    /** the wall clock: when a fault is set or lifted is the server's own record, as the trail's */
    private readonly now: () => number
  ) {}

  /**
   * The faults of one département or of all: on the first page (no
   * `before`), every active one, newest first (there are MAX_ACTIVE_FAULTS at
   * most a département); then `limit` of the lifted ones, newest first, of
   * id below `before`. `next`: the `before` of the next page, null at the
   * last. `active` keeps the active ones only (true) or the lifted ones
   * only (false).
   */
  list (q: { departement?: string, active?: boolean, before?: number, limit?: number } = {}): { faults: FaultView[], next: number | null } {
    const departement = q.departement?.toUpperCase() ?? null
    const limit = q.limit ?? FAULT_PAGE
    const active = q.before === undefined && q.active !== false ? this.repo.activeNewestFirst(departement) : []
    const lifted = q.active === true ? [] : this.repo.lifted(departement, q.before ?? Number.MAX_SAFE_INTEGER, limit)
    const last = lifted.at(-1)
    return { faults: [...active, ...lifted].map((f) => this.view(f)), next: lifted.length === limit && last !== undefined ? last.id : null }
  }

  find (id: number): FaultView | null {
    const f = this.repo.find(id)
    return f === null ? null : this.view(f)
  }

  activeFor (departement: string): FaultView[] {
    return this.active(departement).map((f) => this.view(f))
  }

  /** Sets a fault; a damage that names a file is made at once (a damaged copy of it deposited now). */
  async create (input: FaultInput, by: string): Promise<FaultView> {
    const fault = this.checked(input, by)
    let target: StoredFile | null = null
    if (isDamageCode(fault.code) && fault.file !== null) {
      target = this.files.find(fault.departement, fault.file)
      if (target === null || target.kind !== 'PECGM' || target.answer) throw invalid('file', `Le fichier ${fault.file} n'est pas un PECGM déposé pour le département ${fault.departement} : une panne de dépôt nomme un stock ou un flux encore présent.`)
      if (target.damage != null) throw invalid('file', `Le fichier ${fault.file} est lui-même un dépôt endommagé : nommez un PECGM correct.`)
      const problem = damageProblemForSize(fault.code, target.size)
      if (problem !== null) throw invalid('code', problem)
      fault.remaining = 1
    }
    const stored = this.repo.insert(fault)
    this.files.trail.record({ ...systemEntry(this.now(), 'fault', fault.departement, fault.file, null, null, `panne n° ${stored.id} posée par ${by} : ${FAULT_CODES[fault.code].title} (${fault.code}), ${this.targetText(stored)}`), faultId: stored.id })
    if (target !== null && this.depositCopy !== null && isDamageCode(stored.code)) {
      try {
        await this.depositCopy(target, { faultId: stored.id, code: stored.code, seed: this.seedOf(stored) })
      } catch (err) {
        // no copy (a full disk, a stop): nothing would ever use the fault up, active for good; lifted, and said why
        this.lift(stored.id, 'le serveur, la copie endommagée n\'ayant pas pu être déposée')
        throw err
      }
      this.repo.hit(stored.id, this.now())
    }
    return this.view(this.repo.find(stored.id) ?? stored)
  }

  /** Lifts an active fault; null when there is none of that number, or it is no longer active. */
  lift (id: number, by: string): FaultView | null {
    const f = this.repo.find(id)
    if (f === null || f.liftedAt !== null || !this.repo.lift(id, this.now(), by)) return null
    this.files.trail.record({ ...systemEntry(this.now(), 'fault', f.departement, f.file, null, null, `panne n° ${id} levée par ${by} : ${FAULT_CODES[f.code].title} (${f.code}), ${f.hits} fois appliquée`), faultId: id })
    const lifted = this.repo.find(id)
    return lifted === null ? null : this.view(lifted)
  }

  /** The correct version of each damaged deposit of the département not yet followed by one, deposited now. */
  async repair (departement: string): Promise<StoredFile[]> {
    const repairer = this.repairer
    if (repairer === null) return []
    const code = departement.toUpperCase()
    return await this.oneDepositAtATime(code, async () => await repairer(code))
  }

  /**
   * Runs `work` once the département's deposits under way are done (a
   * deposit with its repairs, a repair): two at once both took the damage of
   * a fault set for one deposit, and both deposited the correct version of
   * the same damaged one.
   */
  async oneDepositAtATime<T> (departement: string, work: () => Promise<T>): Promise<T> {
    const before = this.depositing.get(departement)
    const run = before === undefined ? work() : before.then(work)
    const settled = run.then(() => {}, () => {})
    this.depositing.set(departement, settled)
    try {
      return await run
    } finally {
      if (this.depositing.get(departement) === settled) this.depositing.delete(departement)
    }
  }

  /**
   * The damage the next deposit of a département gets, if a fault asks for
   * one: the oldest active damage fault whose target matches (spent once
   * the damage is made: spend()).
   */
  nextDamage (departement: string, periodicity: 'M' | 'Q'): DamageOrder | null {
    const kind: DepositTarget = periodicity === 'M' ? 'stock' : 'flux'
    const f = this.active(departement).find((x) => isDamageCode(x.code) && x.file === null && (x.deposit === 'any' || x.deposit === kind))
    if (f === undefined || !isDamageCode(f.code)) return null
    // the n-th damage of a fault counted from its hits: a fault set for three deposits damages each with its own draw
    return { faultId: f.id, code: f.code, seed: f.hits === 0 ? this.seedOf(f) : derivedSeed(this.seedOf(f), f.hits) }
  }

  /** A damage made: its fault spent by one. */
  spend (order: DamageOrder): void {
    this.repo.hit(order.faultId, this.now())
  }

  /**
   * The HTTP fault a request of the département meets, if any: the oldest
   * active one whose target matches and whose draw (for a share) says so,
   * spent by one. A request let through by a share's draw is counted, so
   * that the draws follow the requests' order, the same on every run.
   * `named`: only the faults that name a file (a multipart upload, whose
   * name comes with its body: the others were asked for before it).
   */
  takeHttp (departement: string, target: RequestTarget, named = false): HttpFault | null {
    const faults = this.active(departement)
    if (faults.length === 0) return null
    for (const f of faults) {
      if (!isHttpFaultCode(f.code)) continue
      if (f.route !== 'any' && f.route !== target.route) continue
      if (f.file !== null && f.file !== target.file) continue
      if (named && f.file === null) continue
      if (ON_THE_BODY.has(f.code) && target.bodiless?.() === true) continue
      if (f.share !== null && f.share < 1 && draw(this.seedOf(f), f.seen) >= f.share) {
        this.repo.seen(f.id)
        continue
      }
      if (!this.repo.hit(f.id, this.now())) continue
      return f as HttpFault
    }
    return null
  }

  /** The faults a scenario sets, once per data folder (a restart does not bring back a spent one; a reset does). */
  async fromScenario (inputs: readonly FaultInput[]): Promise<void> {
    // asked of every fault ever set: a page of them (the newest 500) lost the scenario's behind later ones, set again at the next start
    if (inputs.length === 0 || this.repo.anySetBy(SCENARIO)) return
    for (const input of inputs) await this.create(input, SCENARIO)
  }

  private active (departement: string): StoredFault[] {
    if (this.cachedVersion !== this.repo.version) {
      this.cached.clear()
      this.cachedVersion = this.repo.version
    }
    let list = this.cached.get(departement)
    if (list === undefined) {
      list = this.repo.active(departement)
      this.cached.set(departement, list)
    }
    return list
  }

  /** The fault's draws: its own seed, or one drawn from the scenario's seed and its number. */
  private seedOf (f: Pick<StoredFault, 'id' | 'seed'>): number {
    return f.seed ?? derivedSeed(this.scenario.seed, f.id + 0x9e3779b9)
  }

  private checked (input: FaultInput, by: string): NewFault {
    const spec = faultSpec(input)
    if ('field' in spec) throw invalid(spec.field, spec.message)
    if (this.files.storage.accounts.findByDepartement(spec.departement) === null) throw invalid('departement', `Le département ${spec.departement} n'a pas de compte : une panne vise un département qui en a un.`)
    if (this.repo.countActive(spec.departement) >= MAX_ACTIVE_FAULTS) throw invalid('departement', `Le département ${spec.departement} a déjà ${MAX_ACTIVE_FAULTS} pannes actives, le plus qu'il puisse en avoir (chacune est regardée à chacune de ses requêtes) : levez-en avant d'en poser une autre.`)
    return { ...spec, setBy: by, setAt: this.now() }
  }

  private targetText (f: StoredFault): string {
    if (f.deposit !== null) return DEPOSIT_TEXT[f.deposit]
    if (isDamageCode(f.code)) return `copie endommagée de ${f.file ?? ''}`
    const route = ROUTE_TEXT[f.route ?? 'any']
    return f.file === null ? route : `${route} de ${f.file}`
  }

  view (f: StoredFault): FaultView {
    return {
      id: f.id,
      code: f.code,
      family: isDamageCode(f.code) ? 'deposit' : 'http',
      title: FAULT_CODES[f.code].title,
      departement: f.departement,
      deposit: f.deposit,
      route: f.route,
      file: f.file,
      remaining: f.remaining,
      share: f.share,
      seed: this.seedOf(f),
      retryAfterSeconds: f.retryAfterSeconds,
      delayMs: f.delayMs,
      bytesPerSecond: f.bytesPerSecond,
      afterBytes: f.afterBytes,
      hits: f.hits,
      setBy: f.setBy,
      setAt: new Date(f.setAt).toISOString(),
      liftedAt: f.liftedAt === null ? null : new Date(f.liftedAt).toISOString(),
      liftedBy: f.liftedBy,
      active: f.liftedAt === null,
      target: this.targetText(f)
    }
  }
}

/** What the trail says of a request that set a fault or lifted one (the API and the console alike). */
export function faultTraceDetail (f: FaultView, what: 'set' | 'lifted'): string {
  return what === 'set' ? `panne n° ${f.id} posée : ${f.code}, ${f.target}` : `panne n° ${f.id} levée`
}

/** Who sets the scenario's faults. */
export const SCENARIO = 'scenario'
export { USED_UP }

/** A seed drawn from another and a number: a fault's from the scenario's, its n-th damage's, its n-th request's draw. */
function derivedSeed (seed: number, n: number): number {
  return mix32((seed ^ mix32(n)) >>> 0)
}

/** The n-th draw of a seed, in [0, 1). */
export function draw (seed: number, n: number): number {
  return derivedSeed(seed, n + 1) / 4_294_967_296
}

function invalid (field: keyof FaultInput, message: string): ServerError {
  return new ServerError('PHEBUS_FAULT_INVALID', message, { field })
}

/** The bytes of a stored file, for a damaged copy of it. */
export function storedChunks (files: FileService, f: StoredFile): AsyncIterable<Buffer> {
  return createReadStream(files.storage.store.pathOf(f.departement, f.name), { highWaterMark: 1 << 20 })
}
