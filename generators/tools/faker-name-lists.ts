import { createRequire } from 'node:module'

/** The three lists of faker's French locale the generator uses, and faker's version. */
export interface NameLists {
  version: string
  female: readonly string[]
  male: readonly string[]
  surnames: readonly string[]
}

interface FakerPersonDefinitions {
  first_name: { female: readonly string[], male: readonly string[] }
  last_name: { generic: readonly string[] }
}

/** Reads them from the installed @faker-js/faker (build-person-names.ts writes them out; a test compares). */
export async function fakerNameLists (): Promise<NameLists> {
  const { faker } = await import('@faker-js/faker/locale/fr')
  const person = faker.rawDefinitions.person as unknown as FakerPersonDefinitions
  const { version } = createRequire(import.meta.url)('@faker-js/faker/package.json') as { version: string }
  return { version, female: person.first_name.female, male: person.first_name.male, surnames: person.last_name.generic }
}
