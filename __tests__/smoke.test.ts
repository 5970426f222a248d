import { ReviewError } from '../src/errors.js'
import { SeveritySchema } from '../src/schemas.js'
test('errors carry a code', () => {
  expect(new ReviewError('EUSAGE', 'x').code).toBe('EUSAGE')
  expect(SeveritySchema.parse('high')).toBe('high')
})
