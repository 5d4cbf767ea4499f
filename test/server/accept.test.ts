import t from 'tap'
import { negotiate } from '../../src/server/accept.js'

const BILAN = ['application/json', 'application/pdf', 'text/html'] as const

t.test('the type the client weighs most wins; a tie goes to the route\'s order; no header gives the route\'s default', async (t) => {
  t.equal(negotiate(undefined, BILAN), 'application/json')
  t.equal(negotiate('', BILAN), 'application/json')
  t.equal(negotiate('application/pdf', BILAN), 'application/pdf')
  t.equal(negotiate('text/html', BILAN), 'text/html')
  t.equal(negotiate('*/*', BILAN), 'application/json')
  // what a browser sends
  t.equal(negotiate('text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8', BILAN), 'text/html')
  t.equal(negotiate('text/html;q=0.5, application/pdf', BILAN), 'application/pdf', 'by weight, not by the header\'s order')
  t.equal(negotiate('text/html, application/pdf', BILAN), 'application/pdf', 'a tie: the route\'s order')
  t.equal(negotiate('application/*', BILAN), 'application/json')
  t.equal(negotiate('Application/PDF', BILAN), 'application/pdf', 'types are read without case')
})

t.test('a type weighed q=0 is refused, even where a wider range would take it; nothing acceptable gives the default', async (t) => {
  t.equal(negotiate('application/pdf;q=0', BILAN), 'application/json')
  t.equal(negotiate('application/pdf;q=0, */*', BILAN), 'application/json')
  t.equal(negotiate('application/json;q=0, application/pdf;q=0, */*;q=0.1', BILAN), 'text/html')
  t.equal(negotiate('image/png', BILAN), 'application/json')
  t.equal(negotiate('text/csv;q=0', ['application/json', 'text/csv']), 'application/json')
  t.equal(negotiate('text/csv', ['application/json', 'text/csv']), 'text/csv')
  t.equal(negotiate('garbage, ;q=, /', BILAN), 'application/json', 'what cannot be read is passed over')
})
