/**
 * README.md's table of documentation fields against the compliance catalog: every field of DOCUMENTATION_FIELDS,
 * in order, with exactly the controls whose rules read it (documentation rules, the monitoring rule, the
 * mitigation rule, through `all`). A control added to the catalog, or a README edit, that breaks the table fails.
 */
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { CONTROLS, DOCUMENTATION_FIELD_NAMES, type ControlSpec, type RuleSpec } from '../core/compliance';
import { HTI1_ATTRIBUTES } from '../core/exports';

/** The documentation fields a rule reads. */
function fieldsRead(rule: RuleSpec): string[] {
  if (rule.kind === 'documentation') return [...rule.fields, ...(rule.datedBy ? [rule.datedBy] : [])];
  if (rule.kind === 'monitoring') return ['monitoringPlan', 'monitoringCadence'];
  if (rule.kind === 'mitigated') return ['mitigations'];
  if (rule.kind === 'hti1_attributes')
    return HTI1_ATTRIBUTES.filter((a) => rule.attributes.includes(a.id)).flatMap((a) => a.documentation);
  if (rule.kind === 'all') return rule.rules.flatMap(fieldsRead);
  return []; // the other kinds read results, drift, the policy or the audit record
}

/** field → "framework controlId" of every control that reads it, catalog order. */
function readersFromCatalog(controls: readonly ControlSpec[]): Map<string, string[]> {
  return new Map(
    DOCUMENTATION_FIELD_NAMES.map((f) => [
      f,
      controls.filter((c) => fieldsRead(c.rule).includes(f)).map((c) => `${c.framework} ${c.controlId}`),
    ]),
  );
}

/** The table after the documentation-fields marker: field → the controls listed in its last column. */
function readersFromReadme(markdown: string): Map<string, string[]> {
  const start = markdown.indexOf('<!-- documentation-fields:');
  if (start < 0) throw new Error('no documentation-fields marker in README.md');
  const rows = markdown
    .slice(start)
    .split('\n')
    .slice(3) // marker, header, separator
    .filter((_, i, all) => all.slice(0, i + 1).every((l) => l.startsWith('|')));
  return new Map(
    rows.map((row) => {
      const cells = row.split('|').map((c) => c.trim());
      const field = (cells[1] ?? '').replace(/`/g, '');
      const controls = (cells[4] ?? '')
        .split(';')
        .map((c) => c.trim())
        .filter((c) => c !== '');
      return [field, controls];
    }),
  );
}

const README = readFileSync(resolve(__dirname, '../../README.md'), 'utf8');

describe("README's documentation fields table", () => {
  it('lists every documentation field, in order, with exactly the controls that read it', () => {
    const expected = readersFromCatalog(CONTROLS);
    const documented = readersFromReadme(README);
    expect([...documented.keys()]).toEqual(DOCUMENTATION_FIELD_NAMES);
    expect(Object.fromEntries(documented)).toEqual(Object.fromEntries(expected));
    // Every field is read by at least one control (a field nobody reads would not belong in the table).
    for (const [field, controls] of expected) expect([field, controls.length > 0]).toEqual([field, true]);
  });

  it('would notice a control missing from the table, or one the catalog does not have', () => {
    const expected = Object.fromEntries(readersFromCatalog(CONTROLS));
    const dropped = README.replace('| nist-ai-rmf MANAGE 4.1 |', '| |');
    expect(Object.fromEntries(readersFromReadme(dropped))).not.toEqual(expected);
    const extra = README.replace('| nist-ai-rmf MANAGE 4.1 |', '| nist-ai-rmf MANAGE 4.1; nyc-ll144 x |');
    expect(Object.fromEntries(readersFromReadme(extra))).not.toEqual(expected);
    const moreCatalog = [
      ...CONTROLS,
      {
        ...CONTROLS[0]!,
        controlId: 'NEW 1',
        rule: { kind: 'documentation', fields: ['owner'] },
      } as ControlSpec,
    ];
    expect(Object.fromEntries(readersFromReadme(README))).not.toEqual(
      Object.fromEntries(readersFromCatalog(moreCatalog)),
    );
  });
});
