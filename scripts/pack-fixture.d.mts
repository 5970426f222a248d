/** Packs a fixture package directory into an npm-style .tgz in memory. */
export function packFixture(dir: string): Promise<Buffer>
