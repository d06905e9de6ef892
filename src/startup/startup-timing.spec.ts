import { markStartup, startupTimingFields } from './startup-timing';

describe('startup timing', () => {
  it('gives each marked phase its wall and CPU ms since the process started, in the order they ended', () => {
    const before = performance.now();
    markStartup('database');
    const spin = performance.now() + 5;
    while (performance.now() < spin); // CPU time passes between the marks
    markStartup('nest');
    const after = performance.now();
    const fields = startupTimingFields();
    expect(Object.keys(fields)).toEqual(['databaseMs', 'databaseCpuMs', 'nestMs', 'nestCpuMs']);
    expect(fields.databaseMs).toBeGreaterThanOrEqual(Math.floor(before));
    expect(fields.nestMs).toBeGreaterThanOrEqual(fields.databaseMs! + 5);
    expect(fields.nestMs).toBeLessThanOrEqual(Math.ceil(after));
    // CPU since the process started (loading this test took some), and it never runs backwards
    expect(fields.databaseCpuMs).toBeGreaterThan(0);
    expect(fields.nestCpuMs).toBeGreaterThanOrEqual(fields.databaseCpuMs!);
  });

  it('keeps the latest mark of a phase', () => {
    markStartup('modules');
    const first = startupTimingFields().modulesMs!;
    const spin = performance.now() + 3;
    while (performance.now() < spin);
    markStartup('modules');
    expect(startupTimingFields().modulesMs).toBeGreaterThanOrEqual(first + 3);
  });
});
