// Which dependency ages a review looks up: only those that can change the
// recent-dependency finding (pure: no registry).
import { findDependenciesToLookUp, type PairedVersion } from '../../src/fetch/dependencies.js'

const EARLY = '2025-01-01T00:00:00.000Z'
const LATE = '2025-06-01T00:00:00.000Z'

/** The version looked at is on `side`; the other one was published at `publishedAt`. */
const paired = (
  side: 'from' | 'to',
  publishedAt: string | null,
  dependencies: Record<string, string>,
): PairedVersion => ({ side, other: { publishedAt, dependencies } })

describe('findDependenciesToLookUp', () => {
  const deps = { kept: '^1.0.0', added: '^2.0.0', 'https-dep': 'https://example.test/x.tgz' }

  test.each<[string, Record<string, string>, string | null, PairedVersion | null, string[]]>([
    ['no pair: every dependency', deps, LATE, null, ['kept', 'added', 'https-dep']],
    [
      'the later version: only those the earlier one did not have',
      deps,
      LATE,
      paired('to', EARLY, { kept: '^1.0.0', dropped: '^1.0.0' }),
      ['added', 'https-dep'],
    ],
    [
      'a shared dependency with another range is still shared (same package)',
      { kept: '^3.0.0' },
      LATE,
      paired('to', EARLY, { kept: '^1.0.0' }),
      [],
    ],
    [
      'the same name now an alias of another package is looked up',
      { kept: 'npm:evil-kept@^1.0.0' },
      LATE,
      paired('to', EARLY, { kept: '^1.0.0' }),
      ['kept'],
    ],
    [
      'an alias of the same package as before is shared',
      { kept: 'npm:real@^1.1.0' },
      LATE,
      paired('to', EARLY, { kept: 'npm:real@^1.0.0' }),
      [],
    ],
    [
      'the earlier version: none (it only cancels shared ones)',
      deps,
      EARLY,
      paired('from', LATE, deps),
      [],
    ],
    ['published at the same time: as if in order', deps, EARLY, paired('from', EARLY, deps), []],
    [
      'a downgrade (the "to" side is older): every dependency, both sides',
      deps,
      EARLY,
      paired('to', LATE, deps),
      ['kept', 'added', 'https-dep'],
    ],
    [
      'a downgrade seen from the "from" side',
      deps,
      LATE,
      paired('from', EARLY, deps),
      ['kept', 'added', 'https-dep'],
    ],
    [
      'its own time unknown: every dependency',
      deps,
      null,
      paired('to', EARLY, deps),
      ['kept', 'added', 'https-dep'],
    ],
    [
      'the other time unknown: every dependency',
      deps,
      LATE,
      paired('to', null, deps),
      ['kept', 'added', 'https-dep'],
    ],
  ])('%s', (_name, dependencies, publishedAt, pair, expected) => {
    expect(Object.keys(findDependenciesToLookUp(dependencies, publishedAt, pair))).toEqual(expected)
  })
})
