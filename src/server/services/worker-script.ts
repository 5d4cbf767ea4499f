import { Worker } from 'node:worker_threads'

/**
 * A worker thread running src/server/workers/<name>: its compiled file, found
 * as ../workers/ from here (tsc's dist/src/server/services/) or from the
 * bundle's chunks (dist/bin/, whose workers are in dist/workers/); from the
 * TypeScript sources (the tests, tsx), through tsx's loader.
 */
export function startWorker (name: string): Worker {
  const url = new URL(`../workers/${name}.${import.meta.url.endsWith('.ts') ? 'ts' : 'js'}`, import.meta.url)
  if (url.pathname.endsWith('.js')) return new Worker(url)
  return new Worker(`import('tsx/esm/api').then((api) => { api.register(); return import(${JSON.stringify(url.href)}) })`, { eval: true })
}
