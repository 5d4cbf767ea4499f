import t from 'tap'
import { AS, testApp } from './helpers.js'

/** Whole numbers JavaScript reads, which Ajv's coercion alone would take: not how an integer of an address is written. */
const NOT_DECIMAL = ['0x10', '1e1', '5.0', '%2B5', '+5', '%205', '5%20', '0b11', '1_000']
/** A value as the server reads it from the address (« + » is a space there). */
const read = (v: string): string => new URLSearchParams(`v=${v}`).get('v') ?? ''

t.test('an integer of the address is written in decimal digits: anything else is a 400 that names the parameter and shows the value as sent', async (t) => {
  const app = await testApp(t)
  const routes = [
    { url: (v: string) => `/api/v1/files?limit=${v}`, as: AS.dept77, where: 'le paramètre « limit » de l\'adresse' },
    { url: (v: string) => `/api/v1/qualification/iterations?before=${v}`, as: AS.dept77, where: 'le paramètre « before » de l\'adresse' },
    { url: (v: string) => `/api/v1/admin/audit?limit=${v}`, as: AS.admin, where: 'le paramètre « limit » de l\'adresse' },
    { url: (v: string) => `/api/v1/admin/messages?before=${v}`, as: AS.admin, where: 'le paramètre « before » de l\'adresse' }
  ]
  for (const route of routes) {
    for (const v of NOT_DECIMAL) {
      const res = await app.inject({ url: route.url(v), headers: route.as })
      t.equal(res.statusCode, 400, `${route.url(v)}: refused`)
      t.equal(res.json<{ message: string }>().message, `Requête invalide : ${route.where} doit être un nombre entier, lu « ${read(v)} ».`, `${route.url(v)}: the message`)
    }
    // decimal digits, leading zeros too, are an integer as before
    for (const v of ['5', '05']) t.equal((await app.inject({ url: route.url(v), headers: route.as })).statusCode, 200, `${route.url(v)}: taken`)
  }

  const given = await app.inject({ url: '/api/v1/files?limit=2&limit=0x10', headers: AS.dept77 })
  t.equal(given.statusCode, 400, 'a parameter given twice: each of its values is checked')
  const path = await app.inject({ method: 'DELETE', url: '/api/v1/admin/faults/0x1', headers: AS.admin })
  t.equal(path.statusCode, 400, 'a part of the path too')
  t.equal(path.json<{ message: string }>().message, 'Requête invalide : le paramètre « id » du chemin doit être un nombre entier, lu « 0x1 ».', 'named as the path\'s')
  t.equal((await app.inject({ method: 'DELETE', url: '/api/v1/admin/faults/99', headers: AS.admin })).statusCode, 404, 'decimal: the route answers (no such fault)')
  t.equal((await app.inject({ url: '/api/v1/files?limit=0', headers: AS.dept77 })).json<{ message: string }>().message,
    'Requête invalide : le paramètre « limit » de l\'adresse doit valoir au moins 1, lu « 0 ».', 'the range is still Ajv\'s to check')
})
