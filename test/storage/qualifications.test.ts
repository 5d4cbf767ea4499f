import t, { type Test } from 'tap'
import { join } from 'node:path'
import Database from 'better-sqlite3'
import { openDatabase, type Db } from '../../src/storage/database.js'
import { MIGRATIONS } from '../../src/storage/migrations.js'
import { QualificationRepository, UPLOADS_BY_ARRIVAL_MIGRATION, type AnswerDue, type CampaignUploadRow } from '../../src/storage/qualifications.js'

/** The version before the answers due (15): their column is filled from the rows already there. */
const BEFORE_ANSWERS_DUE = 14
/** The version before the uploads kept by arrival (16): the table is rebuilt, its rows and their answers due carried over. */
const BEFORE_ARRIVAL = MIGRATIONS.indexOf(UPLOADS_BY_ARRIVAL_MIGRATION)

/** A new database, with 77's iteration 1 started, and (more) others'. */
function started (t: Test, ...more: string[]): { db: Db, repo: QualificationRepository } {
  const db = openDatabase(join(t.testdir(), 'phebus.sqlite'))
  t.teardown(() => db.close())
  const repo = new QualificationRepository(db)
  for (const d of ['77', ...more]) repo.begin(d, 0, `dept${d}`, () => '{}', null)
  return { db, repo }
}

/** A database migrated up to `version` (not included) by hand, to fill as a server of that version left it. */
function before (t: Test, version: number): { path: string, old: Database.Database } {
  const path = join(t.testdir(), 'phebus.sqlite')
  const old = new Database(path)
  for (const m of MIGRATIONS.slice(0, version)) old.exec(m)
  old.pragma(`user_version = ${version}`)
  return { path, old }
}

function upload (fileName: string, status: 'accepted' | 'rejected', at: number): CampaignUploadRow {
  return { fileName, at, size: 1, status, reportId: fileName, sha256: 'x', orientations: '{}', roundTrip: null, roundTripOk: null }
}

function answer (to: AnswerDue, at: number): { fileName: string, at: number, size: number, sha256: string, answerTo: string, answerToUpload: number, identifiers: string } {
  return { fileName: `PECGM_${to.fileName}_${at}`, at, size: 1, sha256: 'x', answerTo: to.fileName, answerToUpload: to.id, identifiers: '[]' }
}

const names = (due: AnswerDue[]): string[] => due.map((u) => u.fileName)

t.test('an accepted upload has its answer due until the answer is recorded; a rejected one has none', async (t) => {
  const { db, repo } = started(t)
  repo.addUpload('77', 1, upload('a.xml', 'accepted', 10), [])
  repo.addUpload('77', 1, upload('b.xml', 'rejected', 20), [])
  repo.addUpload('77', 1, upload('c.xml', 'accepted', 30), [])
  const due = repo.answersDue('77', 1)
  t.same(names(due), ['a.xml', 'c.xml'], 'oldest first')
  t.same(repo.departementsWithAnswersDue(), ['77'])
  repo.addAnswer('77', 1, answer(due[0] as AnswerDue, 40))
  t.same(names(repo.answersDue('77', 1)), ['c.xml'])
  t.equal(repo.firstDeposit('77', 1)?.answerToUpload, due[0]?.id, 'the first answer deposited names its upload')
  repo.addAnswer('77', 1, answer(due[1] as AnswerDue, 50))
  t.same(repo.answersDue('77', 1), [])
  t.same(repo.departementsWithAnswersDue(), [])
  t.match((db.prepare("EXPLAIN QUERY PLAN SELECT id, file_name FROM campaign_uploads WHERE departement = '77' AND iteration = 1 AND answer_due = 1 ORDER BY at, id").all() as { detail: string }[]).map((r) => r.detail), [/USING INDEX campaign_uploads_answer_due/], 'read by the index of those due, in its order: never the iteration\'s history')
})

t.test('two uploads of one name (deleted and sent again) each have their answer due, and the answer of one clears it alone', async (t) => {
  const { repo } = started(t)
  repo.addUpload('77', 1, upload('cgpem.xml', 'accepted', 10), [])
  repo.addUpload('77', 1, upload('cgpem.xml', 'accepted', 20), [])
  const [first, second] = repo.answersDue('77', 1) as [AnswerDue, AnswerDue]
  t.same([first.fileName, second.fileName], ['cgpem.xml', 'cgpem.xml'])
  t.not(first.id, second.id, 'each its row')
  repo.addAnswer('77', 1, answer(first, 30))
  t.same(repo.answersDue('77', 1), [second], 'the second still due: its name was answered, not its row')
  repo.addAnswer('77', 1, answer(second, 40))
  t.same(repo.answersDue('77', 1), [])
  t.same([repo.deposit('77', 1, 'PECGM_cgpem.xml_30')?.answerToUpload, repo.deposit('77', 1, 'PECGM_cgpem.xml_40')?.answerToUpload], [first.id, second.id], 'each answer names the upload it answers')
})

t.test('an iteration closed or made final has no answer due for the start to make', async (t) => {
  const { repo } = started(t, '93')
  repo.addUpload('77', 1, upload('a.xml', 'accepted', 10), [])
  repo.addUpload('93', 1, upload('a.xml', 'accepted', 10), [])
  t.same(repo.departementsWithAnswersDue(), ['77', '93'])
  repo.close('77', 1, 20, null)
  repo.freeze('93', 1, '{}')
  t.same(repo.departementsWithAnswersDue(), [])
})

t.test('the migration makes due the answers an open iteration lost before it, and no other', async (t) => {
  const { path, old } = before(t, BEFORE_ANSWERS_DUE)
  const campaign = old.prepare("INSERT INTO campaigns (departement, iteration, started_at, body, closed_at, final_bilan) VALUES (?, ?, 0, '{}', ?, ?)")
  const up = old.prepare("INSERT INTO campaign_uploads (departement, iteration, file_name, at, status, report_id, sha256, orientations) VALUES (?, ?, ?, ?, ?, 'r', 'x', '{}')")
  const deposit = old.prepare("INSERT INTO campaign_deposits (departement, iteration, file_name, at, size, sha256, answer_to, identifiers) VALUES (?, ?, ?, 0, 1, 'x', ?, '[]')")
  campaign.run('77', 1, 5, null)
  up.run('77', 1, 'closed.xml', 1, 'accepted')
  campaign.run('77', 2, null, null)
  up.run('77', 2, 'answered.xml', 1, 'accepted')
  deposit.run('77', 2, 'PECGM_answered', 'answered.xml')
  up.run('77', 2, 'lost.xml', 2, 'accepted')
  up.run('77', 2, 'rejected.xml', 3, 'rejected')
  campaign.run('93', 1, null, '{}')
  up.run('93', 1, 'final.xml', 1, 'accepted')
  old.close()
  const db = openDatabase(path)
  t.teardown(() => db.close())
  const repo = new QualificationRepository(db)
  t.same(repo.departementsWithAnswersDue(), ['77'])
  t.same(names(repo.answersDue('77', 2)), ['lost.xml'], 'the accepted upload of the open iteration that has no answer')
})

t.test('the uploads recorded before they were kept by arrival stay, in their order, with the same first ones', async (t) => {
  t.ok(BEFORE_ARRIVAL > BEFORE_ANSWERS_DUE)
  const { path, old } = before(t, BEFORE_ARRIVAL)
  old.prepare("INSERT INTO campaigns (departement, iteration, started_at, body) VALUES ('77', 1, 0, '{}')").run()
  const insert = old.prepare("INSERT INTO campaign_uploads (departement, iteration, file_name, at, status, report_id, sha256, orientations) VALUES ('77', 1, ?, ?, ?, ?, 'x', '{}')")
  for (const [name, at, status] of [['b.xml', 20, 'rejected'], ['a.xml', 10, 'accepted'], ['c.xml', 10, 'accepted']] as const) insert.run(name, at, status, `r-${name}`)
  old.close()

  const db = openDatabase(path)
  t.teardown(() => db.close())
  const repo = new QualificationRepository(db)
  t.same(repo.firstUploads('77', 1, 'accepted', 5).map((u) => u.fileName), ['a.xml', 'c.xml'], 'same time: in their order of arrival')
  t.equal(repo.firstUpload('77', 1)?.fileName, 'a.xml')
  t.equal(repo.lastRejected('77', 1)?.fileName, 'b.xml')
  const upload = { fileName: 'a.xml', at: 30, size: 1, status: 'accepted' as const, reportId: 'r-a2', sha256: 'y', orientations: '{}', roundTrip: null, roundTripOk: null }
  repo.addUpload('77', 1, upload, [])
  t.same(repo.firstUploads('77', 1, 'accepted', 5).map((u) => u.reportId), ['r-a.xml', 'r-c.xml', 'r-a2'], 'a name sent again is a new upload, after the others')
})

t.test('an upload whose answer was due at schema 15 is still due after the uploads are kept by arrival, and answered by its row', async (t) => {
  const { path, old } = before(t, BEFORE_ARRIVAL)
  old.prepare("INSERT INTO campaigns (departement, iteration, started_at, body) VALUES ('77', 1, 0, '{}')").run()
  const up = old.prepare("INSERT INTO campaign_uploads (departement, iteration, file_name, at, status, report_id, sha256, orientations, answer_due) VALUES ('77', 1, ?, ?, ?, 'r', 'x', '{}', ?)")
  up.run('answered.xml', 1, 'accepted', 0)
  const due = Number(up.run('due.xml', 2, 'accepted', 1).lastInsertRowid)
  // as written before the answers due: the column's default
  old.prepare("INSERT INTO campaign_uploads (departement, iteration, file_name, at, status, report_id, sha256, orientations) VALUES ('77', 1, 'rejected.xml', 3, 'rejected', 'r', 'x', '{}')").run()
  old.prepare("INSERT INTO campaign_deposits (departement, iteration, file_name, at, size, sha256, answer_to, identifiers) VALUES ('77', 1, 'PECGM_answered', 2, 1, 'x', 'answered.xml', '[]')").run()
  old.close()

  const db = openDatabase(path)
  t.teardown(() => db.close())
  const repo = new QualificationRepository(db)
  t.same(repo.answersDue('77', 1), [{ id: due, fileName: 'due.xml' }], 'still due, the others not: the row keeps its id (its rowid)')
  t.same(repo.departementsWithAnswersDue(), ['77'])
  t.same(db.prepare("SELECT name FROM pragma_index_list('campaign_uploads') ORDER BY name").pluck().all(), ['campaign_uploads_answer_due', 'campaign_uploads_by_round_trip', 'campaign_uploads_by_status', 'campaign_uploads_by_time'], 'the index of the answers due made again, with the others')
  t.match(db.prepare("SELECT dflt_value, \"notnull\" FROM pragma_table_info('campaign_uploads') WHERE name = 'answer_due'").get(), { dflt_value: '0', notnull: 1 }, 'its column as before, default 0')
  t.equal(repo.deposit('77', 1, 'PECGM_answered')?.answerToUpload, 1, 'an answer already made names its upload\'s row')

  repo.addUpload('77', 1, upload('due.xml', 'accepted', 4), [])
  const [first, second] = repo.answersDue('77', 1) as [AnswerDue, AnswerDue]
  t.same([first.id, second.fileName], [due, 'due.xml'], 'the name sent again: a second upload due, after it')
  repo.addAnswer('77', 1, answer(first, 5))
  t.same(repo.answersDue('77', 1), [second], 'the due one answered, the one sent again still due')
})
