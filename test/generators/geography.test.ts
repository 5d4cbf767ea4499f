import t from 'tap'
import { readFileSync } from 'node:fs'
import { communesOf } from '../../generators/geography.js'
import { dataFile } from '../../src/paths.js'

t.test('a département\'s communes are its rows of communes.tsv, in order, read alike', async (t) => {
  const rows = readFileSync(dataFile('communes.tsv'), 'utf8').split('\n').slice(1).filter((l) => l !== '').map((l) => l.split('\t'))
  const codes = [...new Set(rows.map((r) => r[0] ?? ''))]
  t.equal(codes.length, 101)
  for (const code of codes) {
    const expected = rows.filter((r) => r[0] === code).map(([departement = '', commune = '', postcodes = '', population = '0', name = '']) =>
      ({ departement, code: commune, postcodes: postcodes.split(','), population: Number(population), name }))
    t.same(communesOf(code), expected, code)
  }
  t.equal(communesOf('77'), communesOf('77'), 'read once')
})

t.test('a code that is no département of the file has no commune', async (t) => {
  for (const code of ['', '2a', '99', '7', '977', 'departement']) t.same(communesOf(code), [], `« ${code} »`)
})
