import fp from 'fastify-plugin'
import type { FastifyInstance, RouteHandlerMethod } from 'fastify'

/**
 * The route handlers still running, so that a stop closes what they use
 * (the database, the trail, the threads) only once none is. A connection
 * closed in the middle of an upload (by the client, or by a stop that has
 * waited long enough: start.ts) ends its request for the server, while the
 * handler still cleans up after it; without this wait, the trail's record
 * of that request came after the database was closed, and was lost.
 *
 * Once the stop waits for no connection more (all answered, or cut past
 * --stop-timeout), what a handler still does for its answer is given up
 * (handlersSignal): an admin's deposit stops, its temporary file removed
 * and nothing recorded, rather than run on after the database has closed.
 *
 * Registered after the other plugins: its onClose runs before theirs
 * (Fastify runs them last registered first), and its onRoute hook sees
 * every route registered after it, which is all of the app's.
 */

/** How long a stop waits for the handlers once the connections are closed: they are cleaning up, which takes milliseconds. */
const HANDLERS_MS = 5_000

export default fp(async function handlersPlugin (app: FastifyInstance) {
  let running = 0
  let idle: (() => void) | null = null
  const settled = (): void => {
    running--
    if (running === 0 && idle !== null) idle()
  }
  app.decorate('handlersRunning', () => running)
  const givenUp = new AbortController()
  app.decorate('handlersSignal', givenUp.signal)
  app.addHook('onRoute', (route) => {
    const handler = route.handler
    // a handler's result goes back to Fastify as it was: only a promise is followed, to its end
    route.handler = function (this: FastifyInstance, request, reply) {
      const result: unknown = handler.call(this, request, reply)
      if (typeof (result as PromiseLike<unknown> | null)?.then === 'function') {
        running++
        ;(result as PromiseLike<unknown>).then(settled, settled)
      }
      return result
    } as RouteHandlerMethod
  })
  app.addHook('onClose', async () => {
    // the first onClose: the server is closed, none of its connections is left to answer
    givenUp.abort()
    if (running > 0) {
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, HANDLERS_MS)
        idle = () => {
          clearTimeout(timer)
          resolve()
        }
      })
    }
    // and the hooks of the requests they answered or lost (the trail's onResponse, onRequestAbort), a turn later
    await new Promise(setImmediate)
  })
}, { name: 'phebus-handlers', dependencies: ['phebus-storage'] })
