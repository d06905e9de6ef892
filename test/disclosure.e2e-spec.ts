import { readFileSync, writeFileSync } from 'node:fs';
import { binary, pdfLines } from './support/pdf';
import { startTestApp, type TestApp } from './support/test-app';
import type { ChartModel } from '../src/core/reports';

/**
 * Disclosure control on real data: the scored UCI diabetes file (datasets/diabetes_readmission_scored.csv),
 * split by its `period` column into six audits of one model. Its gender "Unknown/Invalid" has 1 person in
 * period 2 and 2 in period 5; race × gender cells have positive-prediction counts of 1 to 10.
 *
 * The attacker reads only what a report publishes (the JSON view model and the PDF text) and the trends of
 * the other audits it shows, and knows every group's true size (a stronger attacker than the report
 * allows). Each reconstruction that pins a single whole number is compared with the true counts computed
 * here from the CSV, independently of the service: none may be a true count from 1 to 10.
 */

const CSV = 'datasets/diabetes_readmission_scored.csv';
const ATTRS = ['race', 'gender', 'age_group'] as const;
const INTERSECTION = ['race', 'gender'];
const MIN_GROUP = 30;
const REPORTED_PERIODS = [2, 5, 6];

interface Cell {
  n: number;
  selected: number;
  positives: number;
  tp: number;
  fp: number;
}
type Period = Map<string, Map<string, Cell>>; // slice id → group label → cell

const sliceIdOf = (attrs: readonly string[]): string => attrs.join(' × ');

/** True counts per period, slice and group (labels as the report prints them: "Asian × Male"). */
function trueCounts(): Map<number, Period> {
  const lines = readFileSync(CSV, 'utf8').trimEnd().split('\n');
  const header = lines[0]!.split(',');
  const col = (name: string): number => header.indexOf(name);
  const [iy, ip, ipd] = [col('y_true'), col('y_pred'), col('period')];
  const out = new Map<number, Period>();
  const slices = [...ATTRS.map((a) => [a]), INTERSECTION];
  for (const line of lines.slice(1)) {
    const f = line.split(',');
    const period = Number(f[ipd]);
    const per = out.get(period) ?? new Map<string, Map<string, Cell>>();
    out.set(period, per);
    const y = Number(f[iy]);
    const p = Number(f[ip]);
    for (const attrs of slices) {
      const sid = sliceIdOf(attrs);
      const label = attrs.map((a) => f[col(a)]!).join(' × ');
      const groups = per.get(sid) ?? new Map<string, Cell>();
      per.set(sid, groups);
      const c = groups.get(label) ?? { n: 0, selected: 0, positives: 0, tp: 0, fp: 0 };
      c.n++;
      c.selected += p;
      c.positives += y;
      c.tp += p & y;
      c.fp += p & (1 - y);
      groups.set(label, c);
    }
  }
  return out;
}

/** Every count of a cell a report must not reveal when it is 1..10. */
function cellCounts(c: Cell): number[] {
  const fn = c.positives - c.tp;
  const tn = c.n - c.positives - c.fp;
  return [c.n, c.selected, c.n - c.selected, c.positives, c.n - c.positives, c.tp, c.fp, fn, tn];
}

const small = (k: number): boolean => k >= 1 && k <= 10;

/** The single whole number in [lo, hi], or null when there are none or several. */
function pinned(lo: number, hi: number): number | null {
  const a = Math.ceil(lo - 1e-9);
  const b = Math.floor(hi + 1e-9);
  return a === b ? a : null;
}

/** A printed decimal ("0.29", "29%", "2.15") as the interval of values it can stand for. */
function interval(text: string): [number, number] {
  const pct = text.endsWith('%');
  const t = pct ? text.slice(0, -1) : text;
  const decimals = t.includes('.') ? t.split('.')[1]!.length : 0;
  const half = 0.5 * 10 ** -decimals;
  const v = Number(t);
  const s = pct ? 0.01 : 1;
  return [(v - half) * s, (v + half) * s];
}

interface Leak {
  how: string;
  group: string;
  count: number;
}

/** One attack: `estimate` pins a count of `cell`; a leak when it is one of the cell's true counts 1..10. */
let tried = 0;
function attempt(leaks: Leak[], how: string, group: string, cell: Cell | undefined, lo: number, hi: number) {
  if (!cell) return;
  tried++;
  const k = pinned(lo, hi);
  if (k !== null && small(k) && cellCounts(cell).includes(k)) leaks.push({ how, group, count: k });
}

interface ViewRow {
  label: string;
  count: string;
  cells: { value: string; suppressed: boolean }[];
  flags: string[];
  flagLabels: string[];
}
/** A disparity chart's marks: each group's plotted ratio and its status (the series it is drawn in). */
function disparityMarks(chart: ChartModel): { group: string; ratio: number; status: string }[] {
  return chart.series.flatMap((s) =>
    s.points.map((p) => ({ group: String(p.y), ratio: Number(p.x), status: s.label })),
  );
}

/** A trend chart's points: group (series), audit (x) and value (y). */
function trendValues(chart: ChartModel): { group: string; audit: string; value: number }[] {
  return chart.series.flatMap((s) =>
    s.points.map((p) => ({ group: s.label, audit: String(p.x), value: Number(p.y) })),
  );
}

interface ViewSlice {
  title: string;
  columns: string[];
  rows: ViewRow[];
  summaryLines: string[];
  chart: ChartModel | null;
}
interface ViewModel {
  executiveSummary: { findings: { text: string; controlIds: string[] }[]; overview: string[] };
  slices: ViewSlice[];
  drift: {
    checks: { subject: string; message: string; statistic: string; status: string }[];
    trends: {
      title: string;
      chart: ChartModel;
      note: string | null;
    }[];
    notes: string[];
  };
  compliance: {
    frameworks: { controls: { controlId: string; evidence: string; rationale: string; status: string }[] }[];
  };
  cover: { facts: { term: string; text: string }[] };
}

/**
 * Every reconstruction of the brief against one report: rate × n, ratio × reference rate × n (table,
 * chart, findings, rationales, evidence), total − the others (slices, intersection rows and columns), and
 * slice summaries (tables, drift messages, trend of the impact ratio) times the top rate × n.
 */
function attack(
  vm: ViewModel,
  pdfText: string,
  truth: Map<number, Period>,
  period: number,
  labels: Map<string, number>,
): Leak[] {
  const leaks: Leak[] = [];
  const per = truth.get(period)!;
  const all = new Map<string, Cell>();
  for (const groups of per.values()) for (const [l, c] of groups) all.set(l, c);
  const srOf = (c: Cell): number => c.selected / c.n;

  for (const s of vm.slices) {
    const groups = per.get(s.title)!;
    const srCol = s.columns.indexOf('Selection rate');
    const ratioCol = s.columns.indexOf('Ratio vs ref.');
    const ref = s.rows.find((r) => r.flags.includes('reference'));
    const refCell = ref ? groups.get(ref.label) : undefined;
    for (const r of s.rows) {
      const cell = groups.get(r.label);
      const n = cell?.n ?? 0;
      const sr = r.cells[srCol];
      if (sr && !sr.suppressed && /^\d/.test(sr.value)) {
        const [lo, hi] = interval(sr.value);
        attempt(leaks, 'rate × n (table)', r.label, cell, lo * n, hi * n);
      }
      const ratio = r.cells[ratioCol];
      if (ratio && !ratio.suppressed && /^\d/.test(ratio.value) && refCell) {
        const [lo, hi] = interval(ratio.value);
        attempt(
          leaks,
          'ratio × reference rate × n (table)',
          r.label,
          cell,
          lo * srOf(refCell) * n,
          hi * srOf(refCell) * n,
        );
      }
    }
    for (const d of s.chart ? disparityMarks(s.chart) : []) {
      if (!refCell || typeof d.ratio !== 'number') continue;
      const cell = groups.get(d.group);
      const x = d.ratio * srOf(refCell) * (cell?.n ?? 0);
      attempt(leaks, 'ratio × reference rate × n (chart data)', d.group, cell, x, x);
    }
    // total − the others: the slice's total is the published row count
    const total = Number(
      (vm.cover.facts.find((f) => f.term === 'Rows analysed')?.text ?? '').replace(/,/g, ''),
    );
    const lines: ViewRow[][] = [s.rows];
    if (s.title.includes(' × ')) {
      for (const pos of [0, 1]) {
        const byOther = new Map<string, ViewRow[]>();
        for (const r of s.rows) {
          const k = r.label.split(' × ')[1 - pos]!;
          byOther.set(k, [...(byOther.get(k) ?? []), r]);
        }
        lines.push(...byOther.values());
      }
    }
    for (const line of lines) {
      const hidden = line.filter((r) => !/^[\d,]+$/.test(r.count));
      if (hidden.length !== 1) continue;
      const shown = line
        .filter((r) => /^[\d,]+$/.test(r.count))
        .reduce((a, r) => a + Number(r.count.replace(/,/g, '')), 0);
      let lineTotal = total;
      if (line !== s.rows) {
        // the marginal group's count from its own slice
        const parts = line[0]!.label.split(' × ');
        const fixed = line.every((r) => r.label.split(' × ')[0] === parts[0]) ? parts[0]! : parts[1]!;
        const marginal = vm.slices.flatMap((x) => x.rows).find((r) => r.label === fixed);
        if (!marginal || !/^[\d,]+$/.test(marginal.count)) continue;
        lineTotal = Number(marginal.count.replace(/,/g, ''));
      }
      const x = lineTotal - shown;
      attempt(leaks, 'total − sum of others', hidden[0]!.label, groups.get(hidden[0]!.label), x, x);
    }
    // slice summary lines × top rate × n of every group
    for (const line of s.summaryLines) {
      const m = /^(Demographic parity ratio|Impact ratio \(lowest\)): (\d\.\d\d)$/.exec(line);
      if (!m) continue;
      const [lo, hi] = interval(m[2]!);
      const top = Math.max(...[...groups.values()].map(srOf));
      for (const [label, cell] of groups)
        attempt(leaks, 'slice summary × top rate × n', label, cell, lo * top * cell.n, hi * top * cell.n);
    }
  }

  // words: findings, rationales, evidence, drift messages (in the JSON and in the PDF text)
  const texts = [
    ...vm.executiveSummary.findings.map((f) => f.text),
    ...vm.compliance.frameworks.flatMap((f) => f.controls.flatMap((c) => [c.rationale, c.evidence])),
    ...vm.drift.checks.map((c) => c.message),
    pdfText,
  ];
  const topOf = (sliceTitle: string): number =>
    Math.max(...[...(per.get(sliceTitle)?.values() ?? [])].map(srOf));
  const sliceOfLabel = (label: string): string | undefined =>
    [...per.entries()].find(([, g]) => g.has(label))?.[0];
  const labelFrom = (name: string): string => name.replace(/, /g, ' × ').trim();
  for (const text of texts) {
    const flat = text.replace(/\s+/g, ' ');
    // "Asian × Male patients receive a positive prediction at 29% of the rate of Caucasian × Female patients"
    for (const m of flat.matchAll(
      /([A-Za-z/ ×-]+?) patients receive a positive prediction at (\d+%|\d+\.\d+ times) (?:of )?the rate of ([A-Za-z/ ×-]+?) patients/g,
    )) {
      const cell = all.get(m[1]!.trim());
      const ref = all.get(m[3]!.trim());
      if (!cell || !ref) continue;
      const [lo, hi] = m[2]!.endsWith('%') ? interval(m[2]!) : interval(m[2]!.split(' ')[0]!);
      attempt(
        leaks,
        'finding ratio × reference rate × n',
        m[1]!,
        cell,
        lo * srOf(ref) * cell.n,
        hi * srOf(ref) * cell.n,
      );
    }
    // "the group Asian, Male receives the favourable outcome at 29% of the rate of the most-favoured group"
    for (const m of flat.matchAll(
      /the group ([^.;]+?) (?:receives the favourable outcome at|has [^.]*? people, too few to judge its) (\d+(?:\.\d)?%)/g,
    )) {
      const label = labelFrom(m[1]!);
      const cell = all.get(label);
      const sid = sliceOfLabel(label);
      if (!cell || !sid) continue;
      const [lo, hi] = interval(m[2]!);
      attempt(
        leaks,
        'rationale ratio × top rate × n',
        label,
        cell,
        lo * topOf(sid) * cell.n,
        hi * topOf(sid) * cell.n,
      );
    }
    // evidence: "Impact ratio for Asian × Male: 0.29 ..."
    for (const m of flat.matchAll(/(?:Impact ratio|Selection rate) for ([^:]+?): (\d\.\d\d)/g)) {
      const label = labelFrom(m[1]!);
      const cell = all.get(label);
      const sid = sliceOfLabel(label);
      if (!cell || !sid) continue;
      const [lo, hi] = interval(m[2]!);
      const scale = m[0].startsWith('Impact') ? topOf(sid) : 1;
      attempt(leaks, 'evidence value × n', label, cell, lo * scale * cell.n, hi * scale * cell.n);
    }
    // drift band crossings: "The demographic parity ratio for gender left ... (0.93 → 0.00)"
    for (const m of flat.matchAll(
      /(?:impact|demographic parity) ratio for ([a-z_ ×]+?) [a-z ,[\]0-9.]*?\((\d+\.\d+) → (\d+\.\d+)\)/g,
    )) {
      const groups = per.get(m[1]!.trim());
      if (!groups) continue;
      const [lo, hi] = interval(m[3]!);
      const top = Math.max(...[...groups.values()].map(srOf));
      for (const [label, cell] of groups)
        attempt(leaks, 'drift summary × top rate × n', label, cell, lo * top * cell.n, hi * top * cell.n);
    }
  }

  // trends: every audit shown, each group's rate × its true n in that audit; the impact ratio × top × n
  for (const t of vm.drift.trends) {
    const values = trendValues(t.chart);
    for (const v of values) {
      const audit = labels.get(String(v.audit));
      if (audit === undefined || typeof v.value !== 'number') continue;
      const at = truth.get(audit)!;
      if (t.title.startsWith('Impact ratio')) {
        const groups = at.get(String(v.group))!;
        const top = Math.max(...[...groups.values()].map(srOf));
        for (const [label, cell] of groups)
          attempt(
            leaks,
            `trend summary (audit ${audit}) × top × n`,
            label,
            cell,
            v.value * top * cell.n - 0.005 * top * cell.n,
            v.value * top * cell.n + 0.005 * top * cell.n,
          );
      } else {
        const attr = /by (\S+) across/.exec(t.title)?.[1] ?? '';
        const cell = at.get(attr)?.get(String(v.group));
        if (cell)
          attempt(
            leaks,
            `trend rate × n (audit ${audit})`,
            String(v.group),
            cell,
            (v.value - 0.005) * cell.n,
            (v.value + 0.005) * cell.n,
          );
      }
    }
  }
  return leaks;
}

jest.setTimeout(600_000);

describe('disclosure control on the six-period diabetes data', () => {
  let t: TestApp;
  const truth = trueCounts();
  const auditIds: string[] = [];
  const reports = new Map<number, { vm: ViewModel; pdf: string }>();
  const labels = new Map<string, number>(); // axis label → period

  beforeAll(async () => {
    t = await startTestApp();
    const lines = readFileSync(CSV, 'utf8').trimEnd().split('\n');
    const model = (
      await t.http
        .post('/v1/models')
        .set(t.auth())
        .send({ name: 'readmission-followup', version: '1.0' })
        .expect(201)
    ).body as { id: string };
    for (let p = 1; p <= 6; p++) {
      const rows = lines.slice(1).filter((l) => l.endsWith(`,${p}`));
      const res = await t.http
        .post(`/v1/models/${model.id}/audits`)
        .set(t.auth())
        .field(
          'config',
          JSON.stringify({
            sensitiveAttributes: [...ATTRS],
            intersections: [INTERSECTION],
            minGroupSize: MIN_GROUP,
            name: `Period ${p}`,
          }),
        )
        .attach('file', Buffer.from([lines[0], ...rows].join('\n') + '\n'), {
          filename: `period-${p}.csv`,
          contentType: 'text/csv',
        })
        .expect(201);
      auditIds.push(res.body.id as string);
      labels.set(`Period ${p}`, p);
    }
    for (const p of REPORTED_PERIODS) {
      const rep = (
        await t.http
          .post(`/v1/audits/${auditIds[p - 1]}/reports`)
          .set(t.auth())
          .send({})
          .expect(201)
      ).body as { id: string };
      const vm = (await t.http.get(`/v1/reports/${rep.id}`).set(t.auth()).expect(200)).body
        .content as ViewModel;
      const pdf = (
        await t.http.get(`/v1/reports/${rep.id}/pdf`).set(t.auth()).buffer(true).parse(binary).expect(200)
      ).body as Buffer;
      if (process.env.DISCLOSURE_DUMP) {
        writeFileSync(`${process.env.DISCLOSURE_DUMP}/report-period-${p}.pdf`, pdf);
        writeFileSync(`${process.env.DISCLOSURE_DUMP}/report-period-${p}.json`, JSON.stringify(vm, null, 1));
      }
      reports.set(p, { vm, pdf: (await pdfLines(pdf)).text });
    }
  });
  afterAll(() => t.close());

  it('the data has the small cells the attack is after (so the attack can succeed)', () => {
    expect(truth.get(2)!.get('gender')!.get('Unknown/Invalid')!.n).toBe(1);
    expect(truth.get(5)!.get('gender')!.get('Unknown/Invalid')!.n).toBe(2);
    // period 6: Asian × Male, 100 people; how many predicted positive is a small count
    const am = truth.get(6)!.get('race × gender')!.get('Asian × Male')!;
    expect(am.n).toBe(100);
    expect(small(am.selected)).toBe(true);
  });

  it('an attacker finds the small counts in unprotected figures (the attack works)', async () => {
    // the raw per-group figures an authorized role still gets from the API, printed at 2 decimals
    const metrics = (await t.http.get(`/v1/audits/${auditIds[5]}/metrics`).set(t.auth()).expect(200))
      .body as {
      slices: {
        attributes: string[];
        groups: {
          key: Record<string, string>;
          count: number;
          metrics: { selection_rate?: { value: number | null } };
        }[];
      }[];
    };
    const leaks: Leak[] = [];
    for (const s of metrics.slices) {
      for (const g of s.groups) {
        const label = s.attributes.map((a) => g.key[a]).join(' × ');
        const v = g.metrics.selection_rate?.value;
        if (typeof v !== 'number') continue;
        const [lo, hi] = interval(v.toFixed(2));
        attempt(
          leaks,
          'rate × n',
          label,
          truth.get(6)!.get(sliceIdOf(s.attributes))!.get(label),
          lo * g.count,
          hi * g.count,
        );
      }
    }
    expect(leaks.map((l) => l.group)).toContain('Asian × Male');
  });

  it('the same attack on a report with one figure left unsuppressed finds it (tampered view model)', () => {
    const { vm, pdf } = reports.get(6)!;
    const am = truth.get(6)!.get('race × gender')!.get('Asian × Male')!;
    const leaky = structuredClone(vm);
    const slice = leaky.slices.find((s) => s.title === 'race × gender')!;
    const row = slice.rows.find((r) => r.label === 'Asian × Male')!;
    row.count = '100';
    row.cells[slice.columns.indexOf('Selection rate')] = {
      value: (am.selected / am.n).toFixed(2),
      suppressed: false,
    };
    expect(attack(leaky, pdf, truth, 6, labels)).toContainEqual({
      how: 'rate × n (table)',
      group: 'Asian × Male',
      count: am.selected,
    });
    // and a rationale that states the group's impact ratio, as before this change
    const top = Math.max(...[...truth.get(6)!.get('race × gender')!.values()].map((c) => c.selected / c.n));
    const ir = Math.round((am.selected / am.n / top) * 100);
    const text = `For race and gender, the group Asian, Male receives the favourable outcome at ${ir}% of the rate of the most-favoured group (Caucasian, Female).`;
    expect(attack(vm, text, truth, 6, labels).map((l) => l.group)).toContain('Asian × Male');
  });

  it.each(REPORTED_PERIODS)(
    'finds no count from 1 to 10 in the report of period %i (JSON, PDF, trends of the audits it shows)',
    (p) => {
      const { vm, pdf } = reports.get(p)!;
      tried = 0;
      expect(attack(vm, pdf, truth, p, labels)).toEqual([]);
      // the attack really ran: more than 100 reconstructions per report (tables, charts, texts, trends)
      expect(tried).toBeGreaterThan(100);
      // and nothing prints a full-precision rate: every number in the trend and chart data has ≤ 2 decimals
      const data = JSON.stringify([vm.drift.trends.map((x) => x.chart), vm.slices.map((s) => s.chart)]);
      expect(data.match(/\d\.\d{3,}/g) ?? []).toEqual([]);
    },
  );

  /** The smaller of a group's sizes in two periods (0 when absent from one), from the CSV. */
  const smallerSize = (a: number, b: number, slice: string, label: string): number =>
    Math.min(truth.get(a)!.get(slice)?.get(label)?.n ?? 0, truth.get(b)!.get(slice)?.get(label)?.n ?? 0);

  interface DriftCheck {
    kind: string;
    attributes?: string[];
    key?: Record<string, string>;
    metric?: string;
    status: string;
    message: string;
    baseline?: number | null;
    current?: number | null;
  }

  it('no drift alert or warning comes from a group under minGroupSize; such changes say "not enough data"', async () => {
    const notEnough: string[] = [];
    for (let p = 2; p <= 6; p++) {
      const drift = (
        await t.http
          .get(`/v1/audits/${auditIds[p - 1]}/drift`)
          .set(t.auth())
          .expect(200)
      ).body as {
        checks: DriftCheck[];
      };
      for (const c of drift.checks) {
        if (!c.key || !c.attributes || c.kind === 'population') continue;
        const label = c.attributes.map((a) => c.key![a]).join(' × ');
        const n = smallerSize(p - 1, p, sliceIdOf(c.attributes), label);
        if (n < MIN_GROUP) {
          expect({ label, status: c.status }).toEqual({ label, status: 'ok' });
          expect(c.message).toMatch(/^Not enough data: .* has fewer than 30 people in one of the two audits/);
          notEnough.push(label);
        } else {
          expect(c.message.startsWith('Not enough data')).toBe(false);
        }
      }
    }
    // the rule was exercised: Asian × Female has fewer than 30 people in some period (Unknown/Invalid, absent
    // from one side of every comparison, gets no per-group rate check at all, only population shares)
    expect(notEnough).toContain('Asian × Female');
  });

  it('gender raises no fairness alert; its band checks are over Female and Male only, as computed from the CSV', async () => {
    for (let p = 2; p <= 6; p++) {
      const drift = (
        await t.http
          .get(`/v1/audits/${auditIds[p - 1]}/drift`)
          .set(t.auth())
          .expect(200)
      ).body as {
        checks: DriftCheck[];
      };
      const gender = drift.checks.filter((c) => c.kind === 'fairness' && c.attributes?.join() === 'gender');
      expect(gender.filter((c) => c.status === 'alert')).toEqual([]);
      const sr = (q: number, g: string): number => {
        const c = truth.get(q)!.get('gender')!.get(g)!;
        return c.selected / c.n;
      };
      const dp = (q: number): number =>
        Math.min(sr(q, 'Female'), sr(q, 'Male')) / Math.max(sr(q, 'Female'), sr(q, 'Male'));
      const check = gender.find((c) => c.metric === 'demographic_parity_ratio')!;
      expect(check.baseline).toBeCloseTo(dp(p - 1), 12);
      expect(check.current).toBeCloseTo(dp(p), 12);
      if (p === 2 || p === 3 || p === 5 || p === 6)
        expect(check.message).toContain('Groups under 30 people left out: Unknown/Invalid.');
    }
  });

  it('every reason text names sizes that are the real ones', () => {
    for (const p of REPORTED_PERIODS) {
      const { vm } = reports.get(p)!;
      const per = truth.get(p)!;
      const sizeOf = (label: string): number | undefined =>
        [...per.values()].find((g) => g.has(label))?.get(label)?.n;
      // "some groups have 1 to 10 people" only when one has
      const anySmall = [...per.values()].some((g) => [...g.values()].some((c) => small(c.n)));
      const overview = vm.executiveSummary.overview.join(' ');
      if (overview.includes('some groups have 1 to 10 people')) expect(anySmall).toBe(true);
      if (overview.includes('no group has 1 to 10 people')) expect(anySmall).toBe(false);
      // a "≤10" count is a group of 1 to 10; "suppressed" counts are larger (complementary)
      for (const s of vm.slices)
        for (const r of s.rows) {
          if (r.count === '≤10') expect(small(sizeOf(r.label)!)).toBe(true);
          else if (r.count === 'suppressed') expect(sizeOf(r.label)!).toBeGreaterThan(10);
          else expect(Number(r.count.replace(/,/g, ''))).toBe(sizeOf(r.label));
        }
      // drift reasons: "the group has 1 to 10 people" only for such a group
      for (const c of vm.drift.checks) {
        const label = c.subject.split(' · ')[0]!;
        if (c.message.includes('because the group has 1 to 10 people'))
          expect(small(sizeOf(label)!)).toBe(true);
        expect(c.message).not.toMatch(/group of 1 to 10 people/);
      }
      // summary lines: groups "fewer than 30 people" are, and the others are not
      for (const s of vm.slices) {
        const left = /left out: (.*)\.$/.exec(s.summaryLines.at(-1) ?? '')?.[1] ?? '';
        const few = /^(.*?) \(fewer than 30 people\)/.exec(left)?.[1];
        for (const label of few ? few.split(', ') : []) expect(sizeOf(label)!).toBeLessThan(MIN_GROUP);
        for (const r of s.rows) if ((sizeOf(r.label) ?? 0) < MIN_GROUP) expect(left).toContain(r.label);
      }
      // rationales that say "has only N people" / "fewer than 11" name the real size
      for (const f of vm.compliance.frameworks)
        for (const c of f.controls)
          for (const m of c.rationale.matchAll(
            /the group ([^.;]+?) has (?:only )?([\d,]+|fewer than 11) people/g,
          )) {
            const n = sizeOf(m[1]!.replace(/, /g, ' × '));
            if (m[2] === 'fewer than 11') expect(small(n!)).toBe(true);
            else expect(Number(m[2]!.replace(/,/g, ''))).toBe(n);
          }
    }
  });

  it('table flags and chart marks agree, and the flag says which ratio it is about', () => {
    for (const p of REPORTED_PERIODS) {
      for (const s of reports.get(p)!.vm.slices) {
        const marks = new Map((s.chart ? disparityMarks(s.chart) : []).map((v) => [v.group, v.status]));
        for (const r of s.rows) {
          const mark = marks.get(r.label);
          if (mark === undefined) continue;
          expect({ label: r.label, outside: r.flags.includes('outside_band') }).toEqual({
            label: r.label,
            outside: mark === 'Outside band',
          });
          if (r.flags.includes('outside_band'))
            expect(r.flagLabels).toContain('outside band (selection rate)');
          if (r.flags.includes('other_outside_band'))
            expect(
              r.flagLabels.some((l) =>
                /^outside band \((TPR|FPR|scoring rate)(, (TPR|FPR|scoring rate))* ratio\)$/.test(l),
              ),
            ).toBe(true);
        }
      }
    }
  });

  it('findings about a rate cite the controls that evaluate it, not the monitoring ones; trend axes name the audits', () => {
    for (const p of REPORTED_PERIODS) {
      const { vm } = reports.get(p)!;
      for (const f of vm.executiveSummary.findings)
        if (!f.text.startsWith('Drift'))
          expect(f.controlIds.filter((id) => ['MEASURE 2.4', 'Art. 72'].includes(id))).toEqual([]);
      for (const tr of vm.drift.trends) {
        const audits = new Set(trendValues(tr.chart).map((v) => v.audit));
        expect([...audits]).toEqual(Array.from({ length: p }, (_, i) => `Period ${i + 1}`));
      }
    }
  });
});
