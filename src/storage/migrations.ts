import { EVIDENCE_MIGRATION, QUALIFICATION_MIGRATION } from './qualifications.js'

/**
 * The schema, as an ordered list of migrations. Migration n brings the
 * database from user_version n-1 to n; a migration is never edited once
 * released, a change is a new entry at the end.
 */
export const MIGRATIONS: readonly string[] = [
  // 1: accounts, files, reports, audit trail
  `
  CREATE TABLE accounts (
    username TEXT PRIMARY KEY,
    role TEXT NOT NULL CHECK (role IN ('departement', 'admin')),
    departement TEXT UNIQUE,
    name TEXT NOT NULL,
    password_hash TEXT NOT NULL,
    demo INTEGER NOT NULL DEFAULT 0,
    created_at INTEGER NOT NULL,
    CHECK ((role = 'admin') = (departement IS NULL))
  );

  CREATE TABLE reports (
    id TEXT PRIMARY KEY,
    departement TEXT NOT NULL,
    file_name TEXT NOT NULL,
    created_at INTEGER NOT NULL,
    valid INTEGER NOT NULL,
    body TEXT NOT NULL
  );

  CREATE TABLE files (
    id INTEGER PRIMARY KEY,
    departement TEXT NOT NULL,
    name TEXT NOT NULL,
    kind TEXT NOT NULL CHECK (kind IN ('PECGM', 'CGPEM')),
    periodicity TEXT CHECK (periodicity IN ('M', 'Q')),
    reference_day INTEGER,
    format TEXT,
    size INTEGER NOT NULL,
    sha256 TEXT NOT NULL,
    created_at INTEGER NOT NULL,
    status TEXT CHECK (status IN ('accepted', 'rejected')),
    report_id TEXT REFERENCES reports (id),
    UNIQUE (departement, name)
  );

  CREATE TABLE audit (
    id INTEGER PRIMARY KEY,
    at INTEGER NOT NULL,
    kind TEXT NOT NULL,
    username TEXT,
    address TEXT,
    method TEXT,
    route TEXT,
    path TEXT,
    file_name TEXT,
    status INTEGER,
    bytes_in INTEGER,
    bytes_out INTEGER,
    duration_ms REAL,
    sha256 TEXT,
    departement TEXT,
    detail TEXT
  );
  CREATE INDEX audit_by_departement ON audit (departement, id);
  `,
  // 2: qualification campaigns (Annexe 2)
  QUALIFICATION_MIGRATION,
  // 3: the qualification's own evidence, recorded as it happens
  EVIDENCE_MIGRATION,
  // 4: the trail: request ids, and indexes for every filter the admin reads by and for its retention
  `
  ALTER TABLE audit ADD COLUMN request_id TEXT;
  CREATE INDEX audit_by_username ON audit (username, id);
  CREATE INDEX audit_by_kind ON audit (kind, id);
  CREATE INDEX audit_by_at ON audit (at);
  `
]
