import type { Db } from './database.js'

export type Role = 'departement' | 'admin'

export interface Account {
  username: string
  role: Role
  /** null for the admin */
  departement: string | null
  name: string
  passwordHash: string
  demo: boolean
  createdAt: number
}

interface AccountRow {
  username: string
  role: Role
  departement: string | null
  name: string
  password_hash: string
  demo: number
  created_at: number
}

function fromRow (r: AccountRow): Account {
  return { username: r.username, role: r.role, departement: r.departement, name: r.name, passwordHash: r.password_hash, demo: r.demo === 1, createdAt: r.created_at }
}

/** The accounts: one per département, and the admin. Passwords are stored as hashes only. */
export class AccountRepository {
  private readonly byUsername
  private readonly byDepartement
  private readonly listDepartements
  private readonly insertStmt
  private readonly setHashStmt
  private readonly replaceStmt

  constructor (db: Db) {
    this.byUsername = db.prepare<[string], AccountRow>('SELECT * FROM accounts WHERE username = ?')
    this.byDepartement = db.prepare<[string], AccountRow>('SELECT * FROM accounts WHERE departement = ?')
    this.listDepartements = db.prepare<[], AccountRow>("SELECT * FROM accounts WHERE role = 'departement' ORDER BY departement")
    this.insertStmt = db.prepare<[string, Role, string | null, string, string, number, number]>(
      'INSERT INTO accounts (username, role, departement, name, password_hash, demo, created_at) VALUES (?, ?, ?, ?, ?, ?, ?)')
    this.setHashStmt = db.prepare<[string, string]>('UPDATE accounts SET password_hash = ? WHERE username = ?')
    this.replaceStmt = db.prepare<[string, string]>('UPDATE accounts SET password_hash = ?, demo = 0 WHERE username = ?')
  }

  find (username: string): Account | null {
    const r = this.byUsername.get(username)
    return r ? fromRow(r) : null
  }

  findByDepartement (departement: string): Account | null {
    const r = this.byDepartement.get(departement)
    return r ? fromRow(r) : null
  }

  departements (): Account[] {
    return this.listDepartements.all().map(fromRow)
  }

  insert (a: Account): void {
    this.insertStmt.run(a.username, a.role, a.departement, a.name, a.passwordHash, a.demo ? 1 : 0, a.createdAt)
  }

  setPasswordHash (username: string, hash: string): void {
    this.setHashStmt.run(hash, username)
  }

  /** A password the admin set: the account is no longer a demo one (its password is no longer demo-<code>). */
  replacePassword (username: string, hash: string): void {
    this.replaceStmt.run(hash, username)
  }
}
