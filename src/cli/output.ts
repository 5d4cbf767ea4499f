import { createHash } from 'node:crypto'
import { closeSync, constants, copyFileSync, existsSync, linkSync, openSync, realpathSync, renameSync, rmdirSync, statSync, unlinkSync } from 'node:fs'
import { access, lstat, open, readdir, readlink, realpath, rename, stat, unlink, type FileHandle } from 'node:fs/promises'
import { dirname, basename, join, resolve } from 'node:path'
import type { Writable } from 'node:stream'
import { fileSystemError, PhebusError } from '../errors.js'
import { ClosedOutput, drained, outputFailure } from './io.js'
import { isAlive } from '../processes.js'

/** A file the command can make again from its inputs: written whole or not at all, not forced to disk (see writeFileAtomically). */
export const MADE_AGAIN = Object.freeze({ sync: false })

/** Bytes written between two background data syncs of a large file. */
const FLUSH_EVERY = 64 << 20

/** Writes chunks to a stream, waiting when it asks to (flat memory); ClosedOutput when its reader goes. */
export async function writeChunks (chunks: Iterable<Buffer>, out: Writable): Promise<number> {
  let bytes = 0
  for (const chunk of chunks) {
    if (out.destroyed) throw outputFailure(out) ?? new ClosedOutput()
    bytes += chunk.length
    if (!out.write(chunk)) await drained(out)
  }
  // the last writes are settled by run(), after the command, as every command's output is
  return bytes
}

/**
 * Writes a file whole or not at all: into a temporary file beside it, then
 * renamed over the target. A failure leaves the target as it was. With
 * `sync` (the default) the file is on disk before the rename, whole even
 * after a power cut; without, only a crash of the process is covered: what
 * the commands make again from their inputs (generate, sample) need no more,
 * and the disk then writes at its own pace instead of the command waiting.
 * One write is in flight while the next chunk is made: a chunk must stay
 * valid until the one after it has been taken (a ring of 2 buffers is enough).
 */
export async function writeFileAtomically (path: string, chunks: Iterable<Buffer>, options: { sync?: boolean } = {}): Promise<number> {
  // a device or a FIFO has nothing to sync
  return await writeThroughTemporary(path, async (fh, inPlace) => await writeChunksToFile(fh, chunks, options.sync !== false && !inPlace))
}

/** Chunks into an open file, one write in flight while the next chunk is made (see writeFileAtomically); with `sync`, on disk at the end. */
async function writeChunksToFile (fh: FileHandle, chunks: Iterable<Buffer>, sync: boolean): Promise<number> {
  let bytes = 0
  let pending: Promise<void> = Promise.resolve()
  let flushing: Promise<void> = Promise.resolve()
  let unflushed = 0
  try {
    for (const chunk of chunks) {
      await pending
      pending = writeAll(fh, chunk)
      pending.catch(() => {}) // observed at the next await
      bytes += chunk.length
      unflushed += chunk.length
      if (sync && unflushed >= FLUSH_EVERY) {
        // the disk works while the next chunks are made: the final sync has little left to do
        unflushed = 0
        const previous = flushing
        flushing = pending.then(async () => { await previous; await fh.datasync() })
        flushing.catch(() => {})
      }
    }
    await pending
    await flushing
    if (sync) await fh.sync()
  } finally {
    await pending.catch(() => {})
    await flushing.catch(() => {})
  }
  return bytes
}

/** The longest name of a file (NAME_MAX), in bytes. */
const NAME_MAX = 255

/** Room for a process id in a temporary file's name: Linux's largest (PID_MAX_LIMIT, 4 194 304) has 7 digits. */
const PID_DIGITS = 7

/**
 * What the temporary file for a file named `name` is called, before its
 * `.PID.tmp`: `.NAME`; for a name too long to take it under NAME_MAX (243
 * to 255 bytes), its beginning, cut between two characters, then `~` and 8
 * hex digits of the whole name's SHA-256, so that two long names beginning
 * alike keep their own. Always a legal name, however long the one asked.
 */
function temporaryStem (name: string): string {
  const room = NAME_MAX - '.'.length - PID_DIGITS - '.tmp'.length
  const whole = Buffer.from(`.${name}`)
  if (whole.length <= room) return `.${name}`
  const hash = createHash('sha256').update(name).digest('hex').slice(0, 8)
  let end = room - '~'.length - hash.length
  // never inside a character: back to the first byte of the one cut (a UTF-8 continuation byte is 10xxxxxx)
  while (end > 1 && ((whole[end] ?? 0) & 0xc0) === 0x80) end--
  return `${whole.subarray(0, end).toString('utf8')}~${hash}`
}

/**
 * Temporary files left beside `path` by an earlier run of a command that was
 * killed (SIGKILL, a crash, a power cut: a signal that can be caught removes
 * its own, see stoppedBy): `STEM.PID.tmp` (see temporaryStem) whose process
 * is gone. Removed before a new one is written, so a killed run never leaves
 * its partial bytes behind for long.
 */
async function removeStaleTemporaries (dir: string, stem: string): Promise<void> {
  let entries: string[]
  try { entries = await readdir(dir) } catch { return }
  const prefix = `${stem}.`
  for (const entry of entries) {
    if (!entry.startsWith(prefix) || !entry.endsWith('.tmp')) continue
    // a process id as this module writes it: digits only (Number() also reads ' 12', '1e9', '0x1F', which are not ours)
    const digits = entry.slice(prefix.length, -4)
    if (!/^[1-9][0-9]*$/.test(digits)) continue
    const pid = Number(digits)
    if (pid === process.pid || isAlive(pid)) continue
    await unlink(join(dir, entry)).catch(() => {})
  }
}

/**
 * Where the bytes for `path` go: a symbolic link is followed (the file it
 * names is replaced, the link kept); a path that is not a regular file (a
 * device such as /dev/null, a FIFO, a pipe or a socket reached through
 * /proc/self/fd) is written in place, never renamed over; anything else (a
 * regular file, nothing yet) through a temporary file.
 */
async function target (path: string): Promise<{ path: string, inPlace: boolean, mode: number | null }> {
  let real = path
  try {
    real = await realpath(path)
  } catch {
    // /dev/stdout when it is a pipe, or bash's >(…) (/dev/fd/63): /proc/self/fd/N names no path
    // (its link reads pipe:[1234]), so realpath fails, yet stat follows it to the pipe
    const s = await stat(path).catch(() => null)
    if (s !== null && !s.isFile() && !s.isDirectory()) return { path, inPlace: true, mode: null }
    // nothing there yet, or a link to nothing yet: the file it names is made, as a shell's > makes it
    return { path: await linkedPath(path), inPlace: false, mode: null }
  }
  const s = await stat(real)
  if (s.isFile()) await refuseReadOnly(real, path)
  return { path: real, inPlace: !s.isFile() && !s.isDirectory(), mode: s.isFile() ? s.mode : null }
}

/**
 * A file its owner made read-only (chmod 444) is not replaced, as cp and the
 * shell's > refuse to write it: renaming over it would go through, the
 * folder allowing it. Root may write anything, as with cp.
 */
async function refuseReadOnly (real: string, path: string): Promise<void> {
  const writable = await access(real, constants.W_OK).then(() => true, (err: NodeJS.ErrnoException) => err.code !== 'EACCES' && err.code !== 'EPERM')
  if (!writable) throw new PhebusError('PHEBUS_IO', `${path} est en lecture seule : la commande ne le remplace pas. Rendez-le modifiable (chmod u+w), ou écrivez un autre fichier.`, { position: { file: path } })
}

/** The temporary file takes the permissions of the file it will replace (`mode`, its stat's), if there is one (a private 600 stays so). */
async function keepMode (fh: FileHandle, mode: number | null): Promise<void> {
  if (mode !== null) await fh.chmod(mode & 0o7777)
}

/**
 * Where `path` leads when it is a symbolic link to nothing yet, through as
 * many links as lead on (40 at most, as the system allows): the file a
 * shell's > would create, the link kept. `path` itself when it is no link.
 */
async function linkedPath (path: string): Promise<string> {
  let at = path
  for (let hops = 0; hops <= 40; hops++) {
    const s = await lstat(at).catch(() => null)
    if (s === null || !s.isSymbolicLink()) return at
    at = resolve(dirname(at), await readlink(at))
  }
  throw Object.assign(new Error(`too many levels of symbolic links, '${path}'`), { code: 'ELOOP', path })
}

/** Signals that stop a command: what they leave of its temporary files is removed first. */
const STOPPING_SIGNALS = ['SIGINT', 'SIGTERM', 'SIGHUP'] as const

/**
 * What this process has written and not yet kept: the temporary files it
 * is writing (writeThroughTemporary), and the files and folders of a whole
 * it has not finished (a period of files, see ProvisionalFiles), in the
 * order made.
 */
const temporaries = new Set<string>()

/**
 * Ctrl+C, SIGTERM or a closed terminal while a file is being written: what
 * is not yet kept goes, the latest first (a folder once emptied), then the
 * signal does what it would have done (the process ends by it, exit status
 * 128 + its number) unless something else of the process listens for it.
 * A stopped command leaves nothing behind, only SIGKILL or a crash can; the
 * next run writing the same file removes what they leave
 * (removeStaleTemporaries).
 */
function stoppedBy (signal: NodeJS.Signals): void {
  for (const path of [...temporaries].reverse()) removeNow(path)
  temporaries.clear()
  for (const s of STOPPING_SIGNALS) process.removeListener(s, stoppedBy)
  if (process.listenerCount(signal) === 0) process.kill(process.pid, signal)
}

/** A file, or a folder when it is empty: gone, or left as it is. */
function removeNow (path: string): void {
  try {
    unlinkSync(path)
  } catch {
    try { rmdirSync(path) } catch {}
  }
}

/**
 * Makes the temporary file `path` (it must not exist yet) and opens it. Made
 * synchronously, once listed (keepTemporary): a signal is handled between
 * two tasks of this thread, never between the two, so that the file a signal
 * finds listed either exists and goes, or is not made at all. Made by an
 * open in the thread pool, it could come into being after the signal's
 * removal had looked for it, and stay (a period stopped by Ctrl+C left an
 * empty one, once in several hundred files).
 */
async function createTemporary (path: string): Promise<FileHandle> {
  closeSync(openSync(path, 'wx'))
  return await open(path, 'r+')
}

function keepTemporary (path: string): void {
  if (temporaries.size === 0) for (const s of STOPPING_SIGNALS) process.on(s, stoppedBy)
  temporaries.add(path)
}

function forgetTemporary (path: string): void {
  if (!temporaries.delete(path) || temporaries.size > 0) return
  for (const s of STOPPING_SIGNALS) process.removeListener(s, stoppedBy)
}

/**
 * The files and folders a command makes for a whole (a period's files),
 * written whole or not at all: each file goes first to a temporary file
 * beside its target (write), and only keep(), once every one is written,
 * renames them all into place, at once for the process (no signal is
 * handled in between). A failure or a signal before then removes the
 * temporary files and the folders made, the latest first: what was there
 * before (a file of the same name from an earlier run, with other bytes)
 * is left exactly as it was.
 */
export class ProvisionalFiles {
  private readonly made: string[] = []
  private readonly staged: { temporary: string, path: string }[] = []
  private files = 0

  /** `path`, just made by this command (a file written whole, or a folder created), goes if the whole is not finished. */
  add (path: string, folder = false): void {
    this.made.push(path)
    if (!folder) this.files++
    keepTemporary(path)
  }

  /**
   * Writes the file `path` into a temporary file beside it, put in place by
   * keep() with the others; the reason of a failure names `path`. A target
   * that is not a regular file (a folder, a device) is refused here, before
   * anything of the whole is in place.
   */
  async write (path: string, chunks: Iterable<Buffer>, options: { sync?: boolean } = {}): Promise<number> {
    let temporary: string | null = null
    try {
      const real = await realpath(path).catch(async () => await linkedPath(path))
      const existing = await stat(real).catch(() => null)
      if (existing?.isDirectory() === true) throw Object.assign(new Error('is a directory'), { code: 'EISDIR' })
      if (existing?.isFile() === true) await refuseReadOnly(real, path)
      if (existing !== null && !existing.isFile()) throw new PhebusError('PHEBUS_IO', `${path} n'est pas un fichier ordinaire (périphérique, tube ou socket) : les fichiers d'un ensemble y sont remplacés par renommage, ce qui ne se fait pas ici.`, { position: { file: path } })
      temporary = await temporaryBeside(real)
      this.add(temporary)
      const fh = await createTemporary(temporary)
      let bytes: number
      try {
        await keepMode(fh, existing?.isFile() === true ? existing.mode : null)
        bytes = await writeChunksToFile(fh, chunks, options.sync !== false)
      } finally {
        await fh.close()
      }
      this.staged.push({ temporary, path: real })
      return bytes
    } catch (err) {
      if (temporary !== null) await unlink(temporary).catch(() => {})
      if (err instanceof PhebusError) throw err
      const named = await linkedPath(path).catch(() => path)
      if (temporary !== null) throwIfNoNewFile(err, named)
      throw fileSystemError(err, named, 'écrire')
    }
  }

  /**
   * The whole is finished: every file written by write() is renamed into
   * place, then all of it stays. Synchronous, so that no signal is handled
   * midway; a rename that fails puts back what the earlier ones replaced
   * (kept meanwhile by a hard link, or a copy where links are refused) and
   * throws, the whole then being for removeAll().
   */
  keep (): void {
    const done: { path: string, backup: string | null }[] = []
    for (const { temporary, path } of this.staged) {
      let backup: string | null = null
      try {
        if (existsSync(path)) {
          backup = `${temporary.slice(0, -'.tmp'.length)}.ancien.tmp`
          try { linkSync(path, backup) } catch { copyFileSync(path, backup) }
        }
        renameSync(temporary, path)
        done.push({ path, backup })
      } catch (err) {
        if (backup !== null) removeNow(backup)
        for (const d of done.reverse()) {
          try {
            if (d.backup === null) unlinkSync(d.path)
            else renameSync(d.backup, d.path)
          } catch {}
        }
        throw fileSystemError(err, path, 'écrire')
      }
    }
    for (const d of done) if (d.backup !== null) removeNow(d.backup)
    for (const path of this.made) forgetTemporary(path)
    this.made.length = 0
    this.staged.length = 0
    this.files = 0
  }

  /** The whole failed: what it made goes, the latest first; how many files went. */
  removeAll (): number {
    const files = this.files
    for (const path of [...this.made].reverse()) {
      removeNow(path)
      forgetTemporary(path)
    }
    this.made.length = 0
    this.staged.length = 0
    this.files = 0
    return files
  }
}

/**
 * Whole or not at all: `write` fills a temporary file beside `path` (and
 * says how many bytes), which is then closed and renamed over the target; a
 * failure removes it and leaves the target as it was, the reason naming the
 * file asked for, never the temporary one. A device or a FIFO is written in
 * place (see target()).
 */
export async function writeThroughTemporary (path: string, write: (fh: FileHandle, inPlace: boolean) => Promise<number>): Promise<number> {
  let tmp: string | null = null
  try {
    const to = await target(path)
    if (!to.inPlace) tmp = await temporaryBeside(to.path)
    if (tmp !== null) keepTemporary(tmp)
    const fh = tmp === null ? await open(to.path, 'w') : await createTemporary(tmp)
    let bytes: number
    try {
      if (tmp !== null) await keepMode(fh, to.mode)
      bytes = await write(fh, tmp === null)
    } finally {
      await fh.close()
    }
    if (tmp !== null) await rename(tmp, to.path)
    return bytes
  } catch (err) {
    if (tmp !== null) await unlink(tmp).catch(() => {})
    if (err instanceof PhebusError) throw err
    // a link to nothing yet: the error is of the file it names (its folder missing)
    const named = await linkedPath(path).catch(() => path)
    if (tmp !== null) throwIfNoNewFile(err, named)
    // a pipe written in place whose reader went (`-o /dev/stdout | head`): what `-o -` does then, stop quietly
    if (tmp === null && (err as NodeJS.ErrnoException | null)?.code === 'EPIPE') throw new ClosedOutput()
    throw fileSystemError(err, named, 'écrire')
  } finally {
    if (tmp !== null) forgetTemporary(tmp)
  }
}

/**
 * The name of this process's temporary file for `path` (a file's real
 * path), beside it; what a killed run of the same file left there removed
 * first. A name the rename would refuse is said now, not once every byte
 * is written.
 */
async function temporaryBeside (path: string): Promise<string> {
  if (Buffer.byteLength(basename(path)) > NAME_MAX) throw Object.assign(new Error('file name too long'), { code: 'ENAMETOOLONG' })
  const stem = temporaryStem(basename(path))
  await removeStaleTemporaries(dirname(path), stem)
  return join(dirname(path), `${stem}.${process.pid}.tmp`)
}

/**
 * A temporary file that could not be made (ENOENT) in a folder that is
 * there: a file system that takes no new file, as /proc and /sys (`-o
 * /proc/self/status`: the file exists, its folder too, but nothing can be
 * created beside it). Said so, rather than « Dossier introuvable ».
 */
function throwIfNoNewFile (err: unknown, path: string): void {
  if ((err as NodeJS.ErrnoException | null)?.code !== 'ENOENT') return
  let folder: string
  try {
    folder = dirname(realpathSync(path))
  } catch {
    folder = dirname(path)
  }
  let isFolder = false
  try { isFolder = statSync(folder).isDirectory() } catch {}
  if (!isFolder) return
  throw new PhebusError('PHEBUS_IO', `Impossible d'écrire ${path} : le dossier ${dirname(path)} existe, mais son système de fichiers n'y accepte aucun nouveau fichier (un système virtuel comme /proc ou /sys), et la commande écrit par un fichier temporaire à côté de la cible avant de la remplacer. Donnez un fichier ailleurs.`, { position: { file: path }, cause: err })
}

export async function writeAll (fh: FileHandle, chunk: Buffer): Promise<void> {
  let done = 0
  while (done < chunk.length) done += (await fh.write(chunk, done, chunk.length - done)).bytesWritten
}
