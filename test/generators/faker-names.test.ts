import t from 'tap'
import { FAKER_FIRST_NAMES_FEMALE, FAKER_FIRST_NAMES_MALE, FAKER_SURNAMES } from '../../generators/data/faker-names.js'
import { personNamesModule } from '../../generators/tools/build-person-names.js'
import { fakerNameLists } from '../../generators/tools/faker-name-lists.js'
import { readFileSync } from 'node:fs'

// the generator reads faker's lists from a generated module instead of importing faker at each start

t.test('the prebuilt name lists are faker\'s French lists as installed, in its order', async (t) => {
  const lists = await fakerNameLists()
  t.same(FAKER_FIRST_NAMES_FEMALE, lists.female)
  t.same(FAKER_FIRST_NAMES_MALE, lists.male)
  t.same(FAKER_SURNAMES, lists.surnames)
})

t.test('building the name lists again gives the committed file, byte for byte', async (t) => {
  const file = readFileSync(new URL('../../generators/data/faker-names.ts', import.meta.url), 'utf8')
  t.equal(personNamesModule(await fakerNameLists()), file)
})

t.test('a name with an apostrophe or a backslash is written as a literal that reads back the same', async (t) => {
  const text = personNamesModule({ version: 'x', female: ["N'Guessan", 'a\\b'], male: [], surnames: [] })
  t.match(text, "'N\\'Guessan', 'a\\\\b'")
})
