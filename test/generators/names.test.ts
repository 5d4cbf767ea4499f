import t from 'tap'
import { getField } from '../../src/layouts/engine.js'
import { getPecgmLayouts } from '../../src/layouts/pecgm.js'
import { findNonLatin1, prepareText } from '../../src/text/latin1.js'
import { OVERSEAS_NAMES } from '../../generators/data/names.js'
import { firstNames, firstNamesFor, surnames, surnamesFor } from '../../generators/identity.js'

const detail = getPecgmLayouts('001,0').detail
const OVERSEAS = ['971', '972', '973', '974', '976']

/** The département's list for one kind of name, the overseas table's, and the metropolitan one. */
const kinds = [
  { name: 'surnames', field: 'NOM_NAISSANCE', of: (d: string) => surnamesFor(d), local: (d: string) => OVERSEAS_NAMES[d]?.surnames ?? [], metropolitan: () => surnames() },
  { name: 'female first names', field: 'PRENOM', of: (d: string) => firstNamesFor(d, 2), local: (d: string) => OVERSEAS_NAMES[d]?.female ?? [], metropolitan: () => firstNames(2) },
  { name: 'male first names', field: 'PRENOM', of: (d: string) => firstNamesFor(d, 1), local: (d: string) => OVERSEAS_NAMES[d]?.male ?? [], metropolitan: () => firstNames(1) }
]

t.test('the overseas tables cover the five départements, in ISO-8859-1 as written, within their fields', async (t) => {
  t.same(Object.keys(OVERSEAS_NAMES).sort(), OVERSEAS)
  for (const d of OVERSEAS) {
    for (const kind of kinds) {
      const list = kind.local(d)
      t.ok(list.length >= 40, `${d} ${kind.name}: ${list.length}`)
      const width = getField(detail, kind.field).length
      for (const n of list) {
        const bad = findNonLatin1(n)
        if (bad !== null) t.fail(`${d} "${n}": U+${bad.codePoint.toString(16).toUpperCase()} at ${bad.index} is not ISO-8859-1`)
        if (n !== n.normalize('NFC')) t.fail(`${d} "${n}" is not NFC`)
        if (n.trim() !== n || n === '') t.fail(`${d} "${n}" is blank or padded`)
        if (prepareText(n).length > width) t.fail(`${d} "${n}" is longer than ${kind.field} (${width})`)
      }
    }
  }
})

t.test('the overseas tables keep their accents', async (t) => {
  const all = Object.values(OVERSEAS_NAMES).flatMap((o) => [...o.surnames, ...o.female, ...o.male]).join('')
  for (const accent of 'éèëïú') t.ok(all.includes(accent), `some overseas name has ${accent}`)
})

t.test('an overseas département gets its own names, mixed with metropolitan ones in its proportion', async (t) => {
  for (const d of OVERSEAS) {
    const share = OVERSEAS_NAMES[d]?.localShare ?? 0
    t.ok(share > 0.5 && share < 1, `${d} local share ${share}`)
    for (const kind of kinds) {
      const list = kind.of(d)
      const metropolitan = new Set(kind.metropolitan())
      const local = new Set(kind.local(d))
      t.notSame(list, kind.metropolitan(), `${d} ${kind.name} differ from the metropolitan list`)
      t.equal(new Set(list).size, list.length, `${d} ${kind.name} are deduplicated`)
      t.ok(list.every((n) => local.has(n) || metropolitan.has(n)), `${d} ${kind.name} come from the two lists only`)
      const fromLocal = list.filter((n) => local.has(n)).length / list.length
      t.ok(Math.abs(fromLocal - share) < 0.02, `${d} ${kind.name}: ${fromLocal.toFixed(3)} local for ${share}`)
      t.ok(list.some((n) => !local.has(n)), `${d} ${kind.name} include metropolitan names`)
    }
  }
})

t.test('the lists are the same, in the same order, every call', async (t) => {
  for (const d of [...OVERSEAS, '77']) {
    for (const kind of kinds) t.same(kind.of(d), kind.of(d), `${d} ${kind.name}`)
  }
})

t.test('a metropolitan département, or one not known, gets the metropolitan lists', async (t) => {
  for (const d of ['77', '2A', '13', '975']) {
    t.same(surnamesFor(d), surnames(), `${d} surnames`)
    t.same(firstNamesFor(d, 1), firstNames(1), `${d} male first names`)
    t.same(firstNamesFor(d, 2), firstNames(2), `${d} female first names`)
  }
})

t.test('Réunion has surnames of Tamil, Chinese and Gujarati origin; Mayotte given-name-based ones', async (t) => {
  const reunion = new Set(surnamesFor('974'))
  for (const n of ['Payet', 'Moutoussamy', 'Ah-Hong', 'Omarjee']) t.ok(reunion.has(n), `974 has ${n}`)
  const mayotte = new Set(surnamesFor('976'))
  const mayotteFirst = new Set([...OVERSEAS_NAMES['976']?.male ?? [], ...OVERSEAS_NAMES['976']?.female ?? []])
  const givenBased = [...mayotte].filter((n) => n.split(' ').every((part) => mayotteFirst.has(part)))
  t.ok(givenBased.length >= 15, `${givenBased.length} Mayotte surnames are given names`)
  t.notOk(surnamesFor('971').includes('Moinaécha'), 'no Mayotte name in Guadeloupe')
})
