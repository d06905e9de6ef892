import { describeProblem } from './fairwatch-client';

const problem = (detail: string, errors: Array<{ message: string; row?: number; column?: string }>) => ({
  type: 'https://fairwatch.dev/problems/invalid-input',
  title: 'Invalid input',
  status: 400,
  detail,
  errors,
});

describe('describeProblem', () => {
  it('says an input problem once when the detail already states it', () => {
    const text = describeProblem(
      400,
      problem('column "ethnicity" not found. Available columns: "race".', [
        { column: 'ethnicity', message: 'column "ethnicity" not found' },
      ]),
    );
    expect(text).toBe('400 Invalid input: column "ethnicity" not found. Available columns: "race".');
  });

  it('lists each problem the detail does not state, with its row and column', () => {
    const text = describeProblem(
      400,
      problem('2 invalid rows', [
        { row: 3, column: 'y_true', message: 'not 0 or 1: "maybe"' },
        { row: 9, column: 'score', message: 'not a number: "x"' },
      ]),
    );
    expect(text.split('\n')).toEqual([
      '400 Invalid input: 2 invalid rows',
      '  - row 3, column y_true: not 0 or 1: "maybe"',
      '  - row 9, column score: not a number: "x"',
    ]);
  });
});
