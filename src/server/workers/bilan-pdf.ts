import { parentPort } from 'node:worker_threads'
import type { Bilan } from '../../qualification/bilan.js'
import { bilanPdf } from '../../qualification/pdf.js'

/**
 * The worker that writes bilans as PDF (pdf-renderer.ts starts it): pdfkit
 * is loaded and lays the document out here, never on the server's event loop.
 */
const port = parentPort
if (port === null) throw new Error('bilan-pdf.ts runs as a worker thread')
port.on('message', (job: { id: number, bilan: Bilan }) => {
  bilanPdf(job.bilan).then((pdf) => {
    const bytes = new Uint8Array(pdf.buffer, pdf.byteOffset, pdf.byteLength).slice()
    port.postMessage({ id: job.id, pdf: bytes }, [bytes.buffer])
  }, (err: unknown) => {
    port.postMessage({ id: job.id, error: (err as Error).message })
  })
})
port.postMessage({ ready: true })
