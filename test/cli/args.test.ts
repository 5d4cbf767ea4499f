import t from 'tap'
import { parseCommandArgs } from '../../src/cli/args.js'

const OPTIONS = { output: { type: 'string', short: 'o' }, records: { type: 'string' } } as const

t.test('an unknown option is named as it was given, even one with no name (--=x)', async (t) => {
  const said = (args: string[]): string => {
    try {
      parseCommandArgs('generate', args, OPTIONS)
    } catch (err) {
      return (err as Error).message
    }
    return ''
  }
  t.match(said(['--colour']), /^option inconnue --colour\. Voir « phebus-mock generate --help »\.$/)
  t.match(said(['--colour=rouge']), /^option inconnue --colour\./)
  t.match(said(['--=x']), /^option inconnue « --=x »\./)
  t.match(said(['-=']), /^option inconnue -=\./)
})
