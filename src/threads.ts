import { Worker } from 'node:worker_threads'

/**
 * A worker thread running the module at `url`: its compiled file as it is,
 * or, from the TypeScript sources (the tests, under tsx), the source through
 * tsx's loader, which a thread does not inherit from the one that starts it
 * (without it the thread fails to load, and whatever falls back on the
 * calling thread hides it).
 */
export function startModuleWorker (url: URL): Worker {
  if (url.pathname.endsWith('.js')) return new Worker(url)
  return new Worker(`import('tsx/esm/api').then((api) => { api.register(); return import(${JSON.stringify(url.href)}) })`, { eval: true })
}
