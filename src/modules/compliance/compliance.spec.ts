import { DomainError } from '../../core/errors';
import { mergeDocumentation } from './compliance.service';
import { FrameworkListPipe } from './framework-list.pipe';

describe('FrameworkListPipe', () => {
  const pipe = new FrameworkListPipe();

  it('leaves an absent list to the policy', () => {
    expect(pipe.transform(undefined)).toBeUndefined();
  });

  it('splits comma-separated and repeated parameters, trims and de-duplicates', () => {
    expect(pipe.transform(' hipaa, eeoc-ugesp ,hipaa')).toEqual(['hipaa', 'eeoc-ugesp']);
    expect(pipe.transform(['nyc-ll144', 'hipaa,eu-ai-act'])).toEqual(['nyc-ll144', 'hipaa', 'eu-ai-act']);
  });

  it('rejects unknown IDs naming each one and listing the valid ones', () => {
    let error: unknown;
    try {
      pipe.transform('hipaa,gdpr,ccpa');
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(DomainError);
    const e = error as DomainError;
    expect(e.code).toBe('invalid_input');
    expect(e.errors).toEqual([
      { field: 'frameworks', message: 'unknown framework "gdpr"' },
      { field: 'frameworks', message: 'unknown framework "ccpa"' },
    ]);
    expect(e.message).toContain(
      'nist-ai-rmf, eu-ai-act, hhs-1557, onc-hti-1, iso-42001, nyc-ll144, eeoc-ugesp, hipaa',
    );
  });

  it('rejects an empty list and a nested object', () => {
    expect(() => pipe.transform('')).toThrow(/comma-separated list/);
    expect(() => pipe.transform(' , ')).toThrow(/comma-separated list/);
    expect(() => pipe.transform({ a: 'hipaa' })).toThrow(/comma-separated list/);
  });
});

describe('mergeDocumentation', () => {
  it("lets the audit's fields win, but a blank or null audit field does not erase the model's", () => {
    expect(
      mergeDocumentation(
        { intendedUse: 'triage', dataSources: 'EHR 2023', owner: 'team A' },
        { dataSources: 'EHR 2024 extract', owner: '  ', intendedUse: null, mitigations: 'threshold review' },
      ),
    ).toEqual({
      intendedUse: 'triage',
      dataSources: 'EHR 2024 extract',
      owner: 'team A',
      mitigations: 'threshold review',
    });
  });
});
