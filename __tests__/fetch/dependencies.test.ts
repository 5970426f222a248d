// Which dependency ages a review looks up: only those that can change the
// recent-dependency finding (pure: no registry).
import fc from 'fast-check'
import { buildVersionView, findNewFindings } from '../../src/analysis/index.js'
import { loadRules } from '../../src/analysis/rules/registry.js'
import { findDependenciesToLookUp, type PairedVersion } from '../../src/fetch/dependencies.js'
import type { ReviewSide } from '../../src/fetch/types.js'
import { contentsOf } from '../helpers/contents.js'
import { versionMetadata } from '../helpers/metadata.js'

const EARLY = '2025-01-01T00:00:00.000Z'
const LATE = '2025-06-01T00:00:00.000Z'

/** The version looked at is on `side`; the other one was published at `publishedAt`. */
const paired = (
  side: ReviewSide,
  publishedAt: string | null,
  dependencies: Record<string, string>,
): PairedVersion => ({ side, other: { publishedAt, dependencies } })

describe('findDependenciesToLookUp', () => {
  const deps = { kept: '^1.0.0', added: '^2.0.0', 'https-dep': 'https://example.test/x.tgz' }
  const EVERY = Object.keys(deps)

  test.each<[string, Record<string, string>, string | null, PairedVersion | null, string[]]>([
    ['no pair: every dependency', deps, LATE, null, EVERY],
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
      EVERY,
    ],
    ['a downgrade seen from the "from" side', deps, LATE, paired('from', EARLY, deps), EVERY],
    ['its own time unknown: every dependency', deps, null, paired('to', EARLY, deps), EVERY],
    ['the other time unknown: every dependency', deps, LATE, paired('to', null, deps), EVERY],
  ])('%s', (_name, dependencies, publishedAt, pair, expected) => {
    expect(Object.keys(findDependenciesToLookUp(dependencies, publishedAt, pair))).toEqual(expected)
  })
})

// The pairing is an optimisation: it must never hide a finding. Over random
// dependency sets, aliases, creation times, lookup failures and release
// orders, the two dependency rules report, with pairing on both sides or on
// one side only, at least what they report when every dependency is looked
// up, and exactly that when no name was re-pointed to another package.
describe('pairing never hides a dependency finding', () => {
  const rules = loadRules().filter((r) =>
    ['threat-metadata-recent-dependency', 'cap-metadata-unchecked-dependency'].includes(r.meta.id),
  )
  const DAY = 24 * 3600 * 1000
  const T0 = Date.parse('2025-01-01T00:00:00.000Z')
  const iso = (days: number) => new Date(T0 + days * DAY).toISOString()
  const NAMES = ['a', 'b', 'c', 'd', 'e']
  const TARGETS = ['a', 'b', 'c', 'd', 'e', 'evil']

  /** One side's dependencies: each name absent, or pointing at a package (itself or an alias). */
  const side = fc.array(fc.option(fc.constantFrom(...TARGETS), { nil: undefined }), {
    minLength: NAMES.length,
    maxLength: NAMES.length,
  })
  const depsOf = (targets: Array<string | undefined>): Record<string, string> =>
    Object.fromEntries(
      NAMES.flatMap((name, i) => {
        const t = targets[i]
        if (t === undefined) return []
        return [[name, t === name ? '^1.0.0' : `npm:${t}@^1.0.0`]]
      }),
    )
  /** What the registry says of each package: created on a day, or the lookup fails. */
  const registry = fc.record(
    Object.fromEntries(
      TARGETS.map((t) => [t, fc.option(fc.integer({ min: -60, max: 120 }), { nil: null })]),
    ) as Record<string, fc.Arbitrary<number | null>>,
  )

  function view(
    version: string,
    publishedDay: number,
    dependencies: Record<string, string>,
    lookedUp: Record<string, string>,
    created: Record<string, number | null>,
  ) {
    const dependencyInfo = Object.fromEntries(
      Object.entries(lookedUp).map(([name, spec]) => {
        const target = spec.startsWith('npm:') ? spec.slice(4, spec.indexOf('@', 4)) : name
        const day = created[target]
        return [
          name,
          day === null || day === undefined
            ? { firstPublished: null, lastModified: null, error: 'E404' }
            : { firstPublished: iso(day), lastModified: iso(day) },
        ]
      }),
    )
    const manifest = JSON.stringify({ name: 'pkg', version, dependencies }, null, 2)
    return buildVersionView(
      contentsOf({ 'package.json': manifest }),
      new Map(),
      versionMetadata(version, {
        fetchedAt: iso(200),
        publishedAt: iso(publishedDay),
        dependencies,
        dependencyInfo,
      }),
    )
  }

  test('paired on both sides, on one, or on none', () => {
    fc.assert(
      fc.property(
        side,
        side,
        registry,
        fc.integer({ min: 0, max: 100 }),
        fc.integer({ min: 0, max: 100 }),
        (oldTargets, newTargets, created, oldDay, newDay) => {
          const oldDeps = depsOf(oldTargets)
          const newDeps = depsOf(newTargets)
          const lookups = (pairOld: boolean, pairNew: boolean) => ({
            old: findDependenciesToLookUp(
              oldDeps,
              iso(oldDay),
              pairOld
                ? { side: 'from', other: { publishedAt: iso(newDay), dependencies: newDeps } }
                : null,
            ),
            new: findDependenciesToLookUp(
              newDeps,
              iso(newDay),
              pairNew
                ? { side: 'to', other: { publishedAt: iso(oldDay), dependencies: oldDeps } }
                : null,
            ),
          })
          const reported = (pairOld: boolean, pairNew: boolean) => {
            const l = lookups(pairOld, pairNew)
            return findNewFindings(
              rules,
              view('1.0.0', oldDay, oldDeps, l.old, created),
              view('1.0.1', newDay, newDeps, l.new, created),
            ).map((f) => `${f.ruleId} ${f.message}`)
          }
          const all = reported(false, false)
          const repointed = NAMES.some(
            (n, i) => oldTargets[i] && newTargets[i] && oldTargets[i] !== newTargets[i],
          )
          for (const [pairOld, pairNew] of [
            [true, true],
            [true, false],
            [false, true],
          ] as const) {
            const got = reported(pairOld, pairNew)
            expect(got).toEqual(expect.arrayContaining(all))
            if (pairOld && pairNew && !repointed) expect(got.sort()).toEqual([...all].sort())
          }
          // And it saves lookups: never more than with no pairing.
          const paired = lookups(true, true)
          const unpaired = lookups(false, false)
          expect(
            Object.keys(paired.old).length + Object.keys(paired.new).length,
          ).toBeLessThanOrEqual(Object.keys(unpaired.old).length + Object.keys(unpaired.new).length)
        },
      ),
      { seed: 20261128, numRuns: 500 },
    )
  })
})
