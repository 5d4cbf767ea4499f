import t, { type Test } from 'tap'
import { join } from 'node:path'
import Database from 'better-sqlite3'
import { openDatabase, type Db } from '../../src/storage/database.js'
import { MIGRATIONS } from '../../src/storage/migrations.js'
import { QualificationRepository, type CampaignUploadRow } from '../../src/storage/qualifications.js'

/** The version before the answers due (15): their column is filled from the rows already there. */
const BEFORE_ANSWERS_DUE = 14

/** A new database, with 77's iteration 1 started, and (more) others'. */
function started (t: Test, ...more: string[]): { db: Db, repo: QualificationRepository } {
  const db = openDatabase(join(t.testdir(), 'phebus.sqlite'))
  t.teardown(() => db.close())
  const repo = new QualificationRepository(db)
  for (const d of ['77', ...more]) repo.begin(d, 0, `dept${d}`, () => '{}', null)
  return { db, repo }
}

function upload (fileName: string, status: 'accepted' | 'rejected', at: number): CampaignUploadRow {
  return { fileName, at, size: 1, status, reportId: fileName, sha256: 'x', orientations: '{}', roundTrip: null, roundTripOk: null }
}

function answer (to: string, at: number): { fileName: string, at: number, size: number, sha256: string, answerTo: string, identifiers: string } {
  return { fileName: `PECGM_${to}`, at, size: 1, sha256: 'x', answerTo: to, identifiers: '[]' }
}

t.test('an accepted upload has its answer due until the answer is recorded; a rejected one has none', async (t) => {
  const { db, repo } = started(t)
  repo.addUpload('77', 1, upload('a.xml', 'accepted', 10), [])
  repo.addUpload('77', 1, upload('b.xml', 'rejected', 20), [])
  repo.addUpload('77', 1, upload('c.xml', 'accepted', 30), [])
  t.same(repo.answersDue('77', 1), ['a.xml', 'c.xml'], 'oldest first')
  t.same(repo.departementsWithAnswersDue(), ['77'])
  repo.addAnswer('77', 1, answer('a.xml', 40))
  t.same(repo.answersDue('77', 1), ['c.xml'])
  t.equal(repo.depositAnswering('77', 1, 'a.xml')?.fileName, 'PECGM_a.xml')
  repo.addAnswer('77', 1, answer('c.xml', 50))
  t.same(repo.answersDue('77', 1), [])
  t.same(repo.departementsWithAnswersDue(), [])
  t.match((db.prepare("EXPLAIN QUERY PLAN SELECT file_name FROM campaign_uploads WHERE departement = '77' AND iteration = 1 AND answer_due = 1 ORDER BY at, rowid").all() as { detail: string }[])[0]?.detail, /USING INDEX campaign_uploads_answer_due/, 'read by the index of those due: never the iteration\'s history')
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
  const path = join(t.testdir(), 'phebus.sqlite')
  const old = new Database(path)
  for (const m of MIGRATIONS.slice(0, BEFORE_ANSWERS_DUE)) old.exec(m)
  old.pragma(`user_version = ${BEFORE_ANSWERS_DUE}`)
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
  t.same(repo.answersDue('77', 2), ['lost.xml'], 'the accepted upload of the open iteration that has no answer')
})
