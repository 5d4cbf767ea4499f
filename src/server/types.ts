import type { Storage } from '../storage/storage.js'
import type { Scenario } from '../scenarios/model.js'
import type { Authenticator, Principal } from './auth/authenticator.js'
import type { AppOptions } from './options.js'
import type { AuditTrail } from './services/audit-trail.js'
import type { ProvisionedAccounts } from './services/accounts.js'
import type { FileService } from './services/files.js'
import type { DepartementWork } from './services/departement-work.js'
import type { Maintenance } from './services/maintenance.js'
import type { ValidatorThreads } from './services/validator-threads.js'
import type { PdfRenderer } from './services/pdf-renderer.js'
import type { UploadGate } from './services/upload-gate.js'
import type { QualificationService } from './services/qualification.js'
import type { MessageService } from './services/messages.js'
import type { Session, SessionService } from './services/sessions.js'
import type { Views } from './views.js'
import type { Clock } from '../clock.js'
import type { FaultService } from './services/faults.js'
import type { WireFault } from './faults-wire.js'

/** What the trail records of a request, filled in as the request goes. */
export interface RequestTrace {
  /** performance.now() at the start */
  started: number
  username: string | null
  departement: string | null
  fileName: string | null
  sha256: string | null
  /** bytes of an upload as read (otherwise Content-Length) */
  bytesIn: number | null
  /** the error code of the answer, if any */
  detail: string | null
  /** the fault injected into this request (src/faults), if any */
  faultId: number | null
  recorded: boolean
  /**
   * the request gave a password to the login guard (Basic, or the login
   * form), refused or accepted: what the replay of the locks at start counts.
   * A page opened by a session gave none, and clears no failure.
   */
  login: boolean
  /** a password check of this request is under way (basic-auth, the login page): its entry waits for the outcome */
  loginPending: boolean
  /** the connection went while the check was under way: why (the entry is written once the check ends, loginSettled) */
  lostBy: string | null
}

import type { onRequestHookHandler } from 'fastify'

declare module 'fastify' {
  interface FastifyInstance {
    config: Readonly<AppOptions>
    storage: Storage
    auditTrail: AuditTrail
    scenario: Scenario
    authenticator: Authenticator
    provisioned: ProvisionedAccounts
    /** resolves once the accounts of the scenario and the admin are written (while the plugins after accounts load) */
    accountsProvisioned: Promise<void>
    files: FileService
    maintenance: Maintenance
    /** what the server still does for a département after answering it (an upload's answer PECGM): its next requests wait for it */
    departementWork: DepartementWork
    /** where uploads are validated: threads beside the event loop (services/validator-threads.ts) */
    validators: ValidatorThreads
    qualification: QualificationService
    pdf: PdfRenderer
    uploads: UploadGate
    allowedMethods: (request: FastifyRequest, path?: string) => string[]
    sessions: SessionService
    messages: MessageService
    views: Views
    /** the exchange's clock (deposits, retention, « today »); app.config.now is the wall clock */
    clock: Clock
    /** why the clock kept in the data folder won over --now (or the machine's time) at this start, null when it did not */
    clockKept: string | null
    /** the faults set on the départements (docs/pannes.md) */
    faults: FaultService
    /**
     * The HTTP fault a multipart upload meets once its file part's name is read (a fault that names the file:
     * the preHandler could not know it), applied as the preHandler applies one; 'cut' when it reset the connection.
     */
    namedUploadFault: (request: FastifyRequest, reply: FastifyReply, departement: string, name: string) => Promise<'cut' | null>
    /** traces a request now, when it will get no answer for the trail's hooks to see (a connection reset on purpose) */
    recordRequest: (request: FastifyRequest, status: number | null, bytesOut: number | null) => void
    /** The password check of `request` has ended (its trace's detail says a refusal): a request whose client left meanwhile is traced now, with that outcome. */
    loginSettled: (request: FastifyRequest) => void
    /** the /api hook: a connection's remembered credentials, else HTTP Basic (plugins/external/basic-auth.ts) */
    requireCredentials: onRequestHookHandler
    /** Cuts every open connection, marked as cut by the stop for the trail: a stop that has waited long enough (start.ts). How many. */
    cutConnections: () => number
    /** route handlers still running: the services they use close only once none is (plugins/app/handlers.ts) */
    handlersRunning: () => number
    /** aborted once a stop waits for no connection more: what a handler still does for its answer (an admin's deposit) is given up (plugins/app/handlers.ts) */
    handlersSignal: AbortSignal
  }

  interface FastifyRequest {
    principal: Principal | null
    trace: RequestTrace
    /** the browser's session, on the pages (null on the API, which ignores cookies) */
    session: Session | null
    /** why a session cookie no longer opens a session: ended idle, ended by its 8 hours, or unknown */
    sessionEnded: 'idle' | 'max' | 'unknown' | null
    /** an HTTP fault that changes how the answer goes on the wire (slow body, reset after N bytes) */
    wireFault: WireFault | null
  }
}
