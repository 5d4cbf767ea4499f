import { ANSWERS_DUE_MIGRATION, EVIDENCE_MIGRATION, FIRST_ANSWER_MIGRATION, QUALIFICATION_MIGRATION, UPLOADS_BY_ARRIVAL_MIGRATION } from './qualifications.js'
import { PAGES_MIGRATION } from './sessions.js'
import { CLOCK_MIGRATION, CLOCK_STOPPED_MIGRATION } from './clock.js'

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
  CREATE INDEX audit_by_request ON audit (request_id) WHERE request_id IS NOT NULL;
  `,
  // 5: what each département holds, kept by triggers (quotas read it in one row); answer PECGMs marked; file name sequences
  `
  ALTER TABLE files ADD COLUMN answer INTEGER NOT NULL DEFAULT 0;
  UPDATE files SET answer = 1 WHERE kind = 'PECGM' AND EXISTS
    (SELECT 1 FROM campaign_deposits d WHERE d.departement = files.departement AND d.file_name = files.name);
  CREATE INDEX files_answers ON files (departement, answer, created_at);

  CREATE TABLE usage (
    departement TEXT PRIMARY KEY,
    uploaded_files INTEGER NOT NULL DEFAULT 0,
    uploaded_bytes INTEGER NOT NULL DEFAULT 0,
    answers INTEGER NOT NULL DEFAULT 0
  );
  INSERT INTO usage (departement, uploaded_files, uploaded_bytes, answers)
    SELECT departement, sum(kind = 'CGPEM'), sum(CASE WHEN kind = 'CGPEM' THEN size ELSE 0 END), sum(answer) FROM files GROUP BY departement;
  CREATE TRIGGER usage_on_insert AFTER INSERT ON files BEGIN
    INSERT OR IGNORE INTO usage (departement) VALUES (NEW.departement);
    UPDATE usage SET uploaded_files = uploaded_files + (NEW.kind = 'CGPEM'),
      uploaded_bytes = uploaded_bytes + (CASE WHEN NEW.kind = 'CGPEM' THEN NEW.size ELSE 0 END),
      answers = answers + NEW.answer
      WHERE departement = NEW.departement;
  END;
  CREATE TRIGGER usage_on_delete AFTER DELETE ON files BEGIN
    UPDATE usage SET uploaded_files = uploaded_files - (OLD.kind = 'CGPEM'),
      uploaded_bytes = uploaded_bytes - (CASE WHEN OLD.kind = 'CGPEM' THEN OLD.size ELSE 0 END),
      answers = answers - OLD.answer
      WHERE departement = OLD.departement;
  END;

  CREATE TABLE name_sequences (
    departement TEXT NOT NULL,
    base TEXT NOT NULL,
    last INTEGER NOT NULL,
    PRIMARY KEY (departement, base)
  );
  `,
  // 6: the partner interface: browser sessions, and the messages of « Nous écrire »
  PAGES_MIGRATION,
  // 7: the exchange clock, and the exchange time in the trail
  CLOCK_MIGRATION,
  // 8: the monthly stocks ever deposited (a stock is made once, even once expired), kept with the file's row by a trigger
  `
  CREATE TABLE stock_deposits (
    departement TEXT NOT NULL,
    reference_day INTEGER NOT NULL,
    PRIMARY KEY (departement, reference_day)
  );
  INSERT OR IGNORE INTO stock_deposits (departement, reference_day)
    SELECT departement, reference_day FROM files WHERE kind = 'PECGM' AND periodicity = 'M' AND answer = 0 AND reference_day IS NOT NULL;
  CREATE TRIGGER stock_deposited AFTER INSERT ON files WHEN NEW.kind = 'PECGM' AND NEW.periodicity = 'M' AND NEW.answer = 0 AND NEW.reference_day IS NOT NULL BEGIN
    INSERT OR IGNORE INTO stock_deposits (departement, reference_day) VALUES (NEW.departement, NEW.reference_day);
  END;
  `,
  // 9: the daily fluxes ever deposited, as the stocks (8)
  `
  CREATE TABLE flux_deposits (
    departement TEXT NOT NULL,
    reference_day INTEGER NOT NULL,
    PRIMARY KEY (departement, reference_day)
  );
  INSERT OR IGNORE INTO flux_deposits (departement, reference_day)
    SELECT departement, reference_day FROM files WHERE kind = 'PECGM' AND periodicity = 'Q' AND reference_day IS NOT NULL;
  CREATE TRIGGER flux_deposited AFTER INSERT ON files WHEN NEW.kind = 'PECGM' AND NEW.periodicity = 'Q' AND NEW.reference_day IS NOT NULL BEGIN
    INSERT OR IGNORE INTO flux_deposits (departement, reference_day) VALUES (NEW.departement, NEW.reference_day);
  END;
  `,
  // 10: the file list read a page at a time (GET /api/v1/files?kind=&since=&cursor=), in its order, all kinds or one
  `
  CREATE INDEX files_by_time ON files (departement, created_at, name);
  CREATE INDEX files_by_kind_time ON files (departement, kind, created_at, name);
  `,
  // 11: faults on demand (src/faults): the faults set, a damaged deposit's code and what it did, the correct file deposited after it, a PECGM's fabrication day; the fault a request met, in the trail
  `
  CREATE TABLE faults (
    id INTEGER PRIMARY KEY,
    code TEXT NOT NULL,
    departement TEXT NOT NULL,
    deposit TEXT,
    route TEXT,
    file TEXT,
    remaining INTEGER,
    share REAL,
    seed INTEGER,
    retry_after_s INTEGER,
    delay_ms INTEGER,
    bytes_per_second INTEGER,
    after_bytes INTEGER,
    hits INTEGER NOT NULL DEFAULT 0,
    seen INTEGER NOT NULL DEFAULT 0,
    set_by TEXT NOT NULL,
    set_at INTEGER NOT NULL,
    lifted_at INTEGER,
    lifted_by TEXT
  );
  CREATE INDEX faults_active ON faults (departement) WHERE lifted_at IS NULL;
  ALTER TABLE files ADD COLUMN fabrication_day INTEGER;
  ALTER TABLE files ADD COLUMN damage TEXT;
  ALTER TABLE files ADD COLUMN damage_detail TEXT;
  ALTER TABLE files ADD COLUMN repaired_by TEXT;
  CREATE INDEX files_to_repair ON files (departement) WHERE damage IS NOT NULL AND repaired_by IS NULL;
  ALTER TABLE audit ADD COLUMN fault_id INTEGER;
  CREATE TABLE campaign_faults (
    departement TEXT NOT NULL,
    iteration INTEGER NOT NULL,
    count INTEGER NOT NULL,
    first_at INTEGER NOT NULL,
    last_at INTEGER NOT NULL,
    last_fault INTEGER NOT NULL,
    last_what TEXT NOT NULL,
    PRIMARY KEY (departement, iteration)
  );
  `,
  // 12: the console: each département's last request by its own account (kept by a trigger, one row each; the admin's requests about it aside), the trail read by route and status class, messages read and answered
  `
  CREATE TABLE activity (departement TEXT PRIMARY KEY, last_at INTEGER NOT NULL);
  INSERT INTO activity (departement, last_at)
    SELECT u.departement, max(u.at) FROM audit u JOIN accounts a ON a.username = u.username AND a.departement = u.departement
    WHERE u.kind = 'request' GROUP BY u.departement;
  CREATE TRIGGER activity_on_request AFTER INSERT ON audit
    WHEN NEW.kind = 'request' AND NEW.departement IS NOT NULL
      AND EXISTS (SELECT 1 FROM accounts WHERE username = NEW.username AND departement = NEW.departement) BEGIN
    INSERT INTO activity (departement, last_at) VALUES (NEW.departement, NEW.at)
      ON CONFLICT (departement) DO UPDATE SET last_at = max(last_at, excluded.last_at);
  END;
  CREATE INDEX audit_by_route ON audit (route, id) WHERE route IS NOT NULL;
  CREATE INDEX audit_by_status_class ON audit (status / 100, id);
  ALTER TABLE messages ADD COLUMN read_at INTEGER;
  ALTER TABLE messages ADD COLUMN answered_at INTEGER;
  ALTER TABLE messages ADD COLUMN answered_by TEXT;
  CREATE INDEX messages_unread ON messages (id) WHERE read_at IS NULL;
  CREATE INDEX messages_unread_by_departement ON messages (departement, id) WHERE read_at IS NULL;
  `,
  // 13: the activity kept by the trail's writes, one upsert per département and batch, no longer by a trigger on each row (the trigger's lookup was most of an entry's cost)
  `
  DROP TRIGGER activity_on_request;
  `,
  // 14: whether a request gave a password to the login guard (1: Basic or the login form, 0: a page opened by a session), which the replay of the locks at start reads; NULL before
  `
  ALTER TABLE audit ADD COLUMN login INTEGER;
  `,
  // 15: the answer PECGM an accepted upload of a qualification is due, until it is deposited: what a stop or a crash left undone is made at the next start
  ANSWERS_DUE_MIGRATION,
  // 16: the qualification's uploads, a row each in their order of arrival, no longer one per name (a name sent again replaced the first upload's evidence), their answers due carried over; an answer names the row of the upload it answers
  UPLOADS_BY_ARRIVAL_MIGRATION,
  // 17: the answer a qualification cites, the first deposited in its iteration, read by key; the answers by the name they answer, no longer read, lose their index
  FIRST_ANSWER_MIGRATION,
  // 18: a département's names told apart ignoring ASCII case (a disk that ignores case would make one file of two), read by this index; not unique: a database
  // filled on a disk that tells case apart may already hold such a pair, kept as it is
  `
  CREATE INDEX files_by_name_nocase ON files (departement, name COLLATE NOCASE);
  `,
  // 19: whether the clock was kept by a clean stop (a running clock stood still since) or by its start or last change (after a kill, it ran on)
  CLOCK_STOPPED_MIGRATION,
  // 20: the lifted faults of a département paged through an index, not by reading every fault ever set
  `
  CREATE INDEX faults_of_departement ON faults (departement);
  `
]
