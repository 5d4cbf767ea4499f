import { parentPort } from 'node:worker_threads'
import { runHelper, type HelperJob } from './pecgm-parallel.js'

/**
 * A helper thread of writeStockInParallel (pecgm-parallel.ts): its modules
 * load as soon as it starts; it then plans the file it is sent, as the
 * calling thread does, and writes the tasks it takes. One job, then it ends.
 */

parentPort?.once('message', (job: HelperJob) => {
  runHelper(job)
  parentPort?.close()
})
