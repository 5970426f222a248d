// Build package tarballs in memory for tests, with node-tar (the library npm
// packs with). Output is deterministic: fixed mtime, no owner fields, sorted.
import { gzipSync } from 'node:zlib'
import { Header, Pax } from 'tar'

export const FIXED_MTIME = new Date('2024-01-01T00:00:00Z')

/** A .tgz of a fixture directory, every file under `package/`: the demo's packer, shared. */
export { packFixture as packDir } from '../../scripts/pack-fixture.mjs'

/** A .tgz of an in-memory file map (`{ 'package.json': '{...}', 'lib/x.js': '...' }`). */
export function packFiles(files: Record<string, string | Uint8Array>): Buffer {
  const names = Object.keys(files).sort()
  return gzipSync(buildTar(names.map((name) => ({ path: `package/${name}`, body: files[name] }))))
}

// ---------------------------------------------------------------------------
// Raw archives, for crafting the hostile ones

export interface RawEntry {
  /** The name written to the header (PAX is added when it does not fit). */
  path: string
  /** node-tar's type name: 'File', 'SymbolicLink', 'Link', 'CharacterDevice', 'FIFO', ... */
  type?: string
  body?: string | Uint8Array
  linkpath?: string
  /** Override the size field (defaults to the body's length). */
  size?: number
}

/** One entry's blocks: [PAX header], header, body padded to 512. */
export function tarEntry(entry: RawEntry): Buffer {
  const body = toBuffer(entry.body ?? '')
  const header = new Header({
    path: entry.path,
    type: (entry.type ?? 'File') as Header['type'],
    size: entry.size ?? body.length,
    mode: 0o644,
    uid: 0,
    gid: 0,
    mtime: FIXED_MTIME,
    linkpath: entry.linkpath ?? '',
    uname: '',
    gname: '',
  })
  const block = Buffer.alloc(512)
  header.encode(block)
  const pax = header.needPax
    ? new Pax({ path: entry.path, linkpath: entry.linkpath, mtime: FIXED_MTIME }).encode()
    : Buffer.alloc(0)
  return Buffer.concat([pax, block, padBlock(body)])
}

/** A raw block (header bytes written by hand), e.g. a GNU long-name `L` entry. */
export function rawBlock(fields: { name: string; typeflag: string; size: number }): Buffer {
  const h = new Header({
    path: fields.name,
    type: 'File',
    size: fields.size,
    mode: 0o644,
    uid: 0,
    gid: 0,
    mtime: FIXED_MTIME,
  })
  const block = Buffer.alloc(512)
  h.encode(block)
  block.write(fields.typeflag, 156, 1, 'latin1')
  return rechecksum(block)
}

/** Recompute a header block's checksum after editing its bytes. */
export function rechecksum(block: Buffer): Buffer {
  block.fill(0x20, 148, 156)
  let sum = 0
  for (let i = 0; i < 512; i++) sum += block[i] as number
  block.write(sum.toString(8).padStart(6, '0') + '\0 ', 148, 8, 'latin1')
  return block
}

/** A whole tar: the entries' blocks then the two zero blocks that end it. */
export function buildTar(entries: Array<RawEntry | Buffer>): Buffer {
  const parts = entries.map((e) => (Buffer.isBuffer(e) ? e : tarEntry(e)))
  return Buffer.concat([...parts, Buffer.alloc(1024)])
}

export function padBlock(body: Buffer): Buffer {
  const padded = Math.ceil(body.length / 512) * 512
  return padded === body.length ? body : Buffer.concat([body, Buffer.alloc(padded - body.length)])
}

function toBuffer(body: string | Uint8Array): Buffer {
  return typeof body === 'string' ? Buffer.from(body) : Buffer.from(body)
}
