import { validateFile } from '../src/cli/validate.js'
import { parseIsoDate } from '../src/layouts/dates.js'

/**
 * One validation, in its own process so that its peak memory is its own:
 *   validate-child FILE YYYY-MM-DD
 * reads FILE as `phebus-mock validate` does (1 MiB chunks) and
 * prints { seconds, maxRssMB, records, valid }.
 */
const [file, date] = process.argv.slice(2)
const today = parseIsoDate(date ?? '')
if (file === undefined || today === null) throw new Error('usage: validate-child FILE YYYY-MM-DD')
const start = process.hrtime.bigint()
const report = await validateFile(file, { today })
const seconds = Number(process.hrtime.bigint() - start) / 1e9
process.stdout.write(JSON.stringify({ seconds, maxRssMB: process.resourceUsage().maxRSS / 1024, records: report.stats.records, valid: report.valid }) + '\n')
