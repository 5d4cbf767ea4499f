import autocannon from 'autocannon'

/**
 * The load generator in a process of its own, so that it neither shares an
 * event loop with the server nor with the bench that drives it:
 *   load-child URL CONNECTIONS SECONDS [HEADERS_JSON]
 * runs autocannon against URL and prints one JSON line
 * { requestsPerSecond, errors, non2xx }.
 */
const [url, connections, seconds, headers] = process.argv.slice(2)
if (url === undefined || connections === undefined || seconds === undefined) throw new Error('usage: load-child URL CONNECTIONS SECONDS [HEADERS_JSON]')
const r = await autocannon({
  url,
  connections: Number(connections),
  duration: Number(seconds),
  headers: headers === undefined ? {} : JSON.parse(headers) as Record<string, string>
})
process.stdout.write(`${JSON.stringify({ requestsPerSecond: r.requests.average, errors: r.errors, non2xx: r.non2xx })}\n`)
