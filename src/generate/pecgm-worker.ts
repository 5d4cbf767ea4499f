import { parentPort } from 'node:worker_threads'
import type { HelperMessage } from './helper-threads.js'
import { planPecgm, type PecgmPlan } from './pecgm-file.js'
import { runHelper, type HelperJob } from './pecgm-parallel.js'

/**
 * A helper thread of writeStockInParallel (pecgm-parallel.ts): its modules
 * load as soon as it starts; it then plans the file it is sent, as the
 * calling thread does (as soon as it is told the request, when it is told
 * before the job), and writes the tasks it takes. One job, then it ends.
 */

let prepared: PecgmPlan | Error | null = null
parentPort?.on('message', (message: HelperMessage | HelperJob) => {
  if ('prepare' in message) {
    try {
      prepared = planPecgm(message.prepare)
    } catch (err) {
      // told again with the job, which fails the way the calling thread sees
      prepared = err instanceof Error ? err : new Error(String(err))
    }
    // said for whoever listens (the tests, which wait for it): the calling thread does not
    parentPort?.postMessage('prepared')
    return
  }
  runHelper(message, message.prepared ? prepared : null)
  parentPort?.close()
})
