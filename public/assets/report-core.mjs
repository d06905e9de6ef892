// The console's copy of src/core/reports (format.ts, suppression.ts, chart-specs.ts), types stripped,
// so the page suppresses small cells and draws charts exactly as the PDF does. It uses only the public API's
// data. src/modules/console/report-core.spec.ts checks it against core on fixtures: when core changes,
// update this file to match (it is core's code with the TypeScript types removed).

export const RATE_KEYS = ["base_rate","selection_rate","true_positive_rate","false_positive_rate","true_negative_rate","false_negative_rate","positive_predictive_value","negative_predictive_value","false_discovery_rate","false_omission_rate","accuracy","balanced_accuracy","f1","scoring_rate"];

// ---- format.ts ----
/** Plain, locale-free formatting of numbers, intervals and dates for reports (deterministic). */
export const SUPPRESSED_TEXT = 'suppressed';
export const SMALL_COUNT_TEXT = '≤10';
export const UNDEFINED_TEXT = '—';
const MONTHS = [
    'January',
    'February',
    'March',
    'April',
    'May',
    'June',
    'July',
    'August',
    'September',
    'October',
    'November',
    'December',
];
/** A count of people or rows: 1..10 is a small cell (CMS cell-size rule); 0 may be shown. */
export function isSmallCount(x) {
    return x !== null && x !== undefined && Number.isFinite(x) && x > 0 && x < 10.5;
}
function groupThousands(intPart) {
    return intPart.replace(/\B(?=(\d{3})+(?!\d))/g, ',');
}
/** "12,345"; weighted (fractional) counts get one decimal. Never call it for a small cell. */
export function formatCount(n) {
    if (!Number.isFinite(n))
        return UNDEFINED_TEXT;
    if (Number.isInteger(n))
        return (n < 0 ? '-' : '') + groupThousands(String(Math.abs(n)));
    const [i, d] = Math.abs(n).toFixed(1).split('.');
    return (n < 0 ? '-' : '') + groupThousands(i ?? '0') + '.' + (d ?? '0');
}
/** A count with the small-cell rule applied: "≤10" for 1..10. */
export function formatSafeCount(n) {
    return isSmallCount(n) ? SMALL_COUNT_TEXT : formatCount(n);
}
export function formatNumber(v, digits = 2) {
    if (v === null || v === undefined || !Number.isFinite(v))
        return UNDEFINED_TEXT;
    const s = v.toFixed(digits);
    return s === `-${(0).toFixed(digits)}` ? (0).toFixed(digits) : s;
}
export function formatInterval(lo, hi, digits = 2) {
    if (lo === null || lo === undefined || hi === null || hi === undefined)
        return null;
    if (!Number.isFinite(lo) || !Number.isFinite(hi))
        return null;
    return `(${formatNumber(lo, digits)}–${formatNumber(hi, digits)})`;
}
/** "0.63 (0.61–0.65)". */
export function formatValueWithInterval(v, lo, hi, digits = 2) {
    const value = formatNumber(v, digits);
    const interval = value === UNDEFINED_TEXT ? null : formatInterval(lo, hi, digits);
    return { text: interval ? `${value} ${interval}` : value, value, interval };
}
/** 0.724 → "72%". */
export function formatPercent(v, digits = 0) {
    return `${(v * 100).toFixed(digits)}%`;
}
export function formatPValue(p) {
    if (p === null || p === undefined || !Number.isFinite(p))
        return UNDEFINED_TEXT;
    if (p < 0.001)
        return '< 0.001';
    return p.toFixed(3);
}
/** ISO timestamp → "12 March 2026" (UTC). Invalid input is returned unchanged. */
export function formatDate(iso) {
    const d = new Date(iso);
    if (Number.isNaN(d.getTime()))
        return iso;
    return `${d.getUTCDate()} ${MONTHS[d.getUTCMonth()] ?? ''} ${d.getUTCFullYear()}`;
}
/** ISO timestamp → "2026-03-12" (UTC). */
export function formatIsoDay(iso) {
    const d = new Date(iso);
    if (Number.isNaN(d.getTime()))
        return iso;
    return d.toISOString().slice(0, 10);
}
/** A group key in its slice's attribute order: {race:"Black", sex:"Female"} → "Black × Female". */
export function groupLabel(key, attributes) {
    const order = attributes && attributes.length > 0 ? attributes : Object.keys(key);
    return order.map((a) => key[a] ?? '?').join(' × ');
}
/** Stable identity of a group key, independent of property order. */
export function keyId(key) {
    return Object.keys(key)
        .sort()
        .map((k) => `${k}=${key[k] ?? ''}`)
        .join('\u0001');
}
const METRIC_LABELS = {
    count: 'Count',
    base_rate: 'Base rate',
    selection_rate: 'Selection rate',
    true_positive_rate: 'True positive rate',
    false_positive_rate: 'False positive rate',
    true_negative_rate: 'True negative rate',
    false_negative_rate: 'False negative rate',
    positive_predictive_value: 'Positive predictive value',
    negative_predictive_value: 'Negative predictive value',
    false_discovery_rate: 'False discovery rate',
    false_omission_rate: 'False omission rate',
    accuracy: 'Accuracy',
    balanced_accuracy: 'Balanced accuracy',
    f1: 'F1 score',
    roc_auc: 'AUC',
    brier_score: 'Brier score',
    mean_score: 'Mean score',
    scoring_rate: 'Scoring rate',
    demographic_parity_difference: 'Demographic parity difference',
    demographic_parity_ratio: 'Demographic parity ratio',
    equalized_odds_difference: 'Equalized odds difference',
    equalized_odds_ratio: 'Equalized odds ratio',
    equal_opportunity_difference: 'Equal opportunity difference',
    equal_opportunity_ratio: 'Equal opportunity ratio',
    average_odds_difference: 'Average odds difference',
    impact_ratio: 'Impact ratio',
};
export function metricLabel(key) {
    return METRIC_LABELS[key] ?? key.replace(/[_.]/g, ' ');
}
/**
 * Last line of defence for free text written elsewhere (control rationales, drift messages): replaces
 * numbers that read as a small count ("n = 6", "6 patients", "6 of 40", and any standalone occurrence
 * of a known small count) with "≤10". Decimals, percentages and regulation numbers are left alone.
 */
export function scrubSmallCounts(text, knownSmall = []) {
    let out = text.replace(/\b(n|N|count)(\s*[=:]\s*)(10|[1-9])(?![\d.,]\d|%)\b/g, `$1$2${SMALL_COUNT_TEXT}`);
    out = out.replace(/(?<![\d.,(§])\b(10|[1-9])(\s+(?:of|out of)\s+\d)/g, `${SMALL_COUNT_TEXT}$2`);
    out = out.replace(/(?<![\d.,(§])\b(10|[1-9])(\s+(?:rows?|records?|patients?|people|persons?|individuals?|members?|cases?|events?|positives?|negatives?|applicants?|participants?|observations?|admissions?|encounters?))\b/gi, `${SMALL_COUNT_TEXT}$2`);
    const small = [...new Set(knownSmall.filter((k) => isSmallCount(k) && Number.isInteger(k)))];
    for (const k of small) {
        const re = new RegExp(`(?<![\\d.,(§\\w])(?<!Art |Article |Annex |Principles? )${k}(?![\\d%)]|\\.\\d|,\\d|\\()`, 'g');
        out = out.replace(re, SMALL_COUNT_TEXT);
    }
    return out;
}

// ---- suppression.ts ----
const RATE_SET = new Set(RATE_KEYS);
/** Numerator and denominator of a rate: given by the engine, else inferred from the group's other rates. */
function numDen(group, key) {
    const m = group.metrics[key];
    if (m && m.numerator !== undefined && m.denominator !== undefined)
        return { num: m.numerator, den: m.denominator };
    const n = group.count;
    const fromValue = (den) => {
        if (den === null)
            return null;
        const v = m?.value;
        if (v === null || v === undefined)
            return { num: 0, den };
        return { num: v * den, den };
    };
    const countOf = (k) => {
        const mv = group.metrics[k];
        if (!mv)
            return null;
        if (mv.numerator !== undefined)
            return mv.numerator;
        if (mv.value === null)
            return n === 0 ? 0 : null;
        return mv.value * n;
    };
    switch (key) {
        case 'base_rate':
        case 'selection_rate':
        case 'accuracy':
        case 'scoring_rate':
            return fromValue(n);
        case 'true_positive_rate':
        case 'false_negative_rate': {
            const pos = countOf('base_rate');
            return fromValue(pos);
        }
        case 'false_positive_rate':
        case 'true_negative_rate': {
            const pos = countOf('base_rate');
            return fromValue(pos === null ? null : n - pos);
        }
        case 'positive_predictive_value':
        case 'false_discovery_rate': {
            const pp = countOf('selection_rate');
            return fromValue(pp);
        }
        case 'negative_predictive_value':
        case 'false_omission_rate': {
            const pp = countOf('selection_rate');
            return fromValue(pp === null ? null : n - pp);
        }
        case 'balanced_accuracy':
        case 'f1':
        case 'roc_auc':
        case 'brier_score':
        case 'mean_score':
        case 'count':
            return null;
    }
}
function smallND(nd) {
    return isSmallCount(nd.num) || isSmallCount(nd.den) || isSmallCount(nd.den - nd.num);
}
/** Lines of cells with a known sum: the whole slice, and for intersections each row/column. */
export function sliceLines(slice) {
    const all = slice.groups.map((_, i) => i);
    const lines = [all];
    if (slice.attributes.length >= 2) {
        for (const fixedOut of slice.attributes) {
            const others = slice.attributes.filter((a) => a !== fixedOut);
            const byRest = new Map();
            slice.groups.forEach((g, i) => {
                const id = others.map((a) => `${a}=${g.key[a] ?? ''}`).join('\u0001');
                const list = byRest.get(id);
                if (list)
                    list.push(i);
                else
                    byRest.set(id, [i]);
            });
            for (const l of byRest.values())
                lines.push(l);
        }
    }
    return lines;
}
/** Applies rules (a), (b), (c) to one slice. Pure; the input is not modified. */
export function suppressSlice(slice) {
    const groups = slice.groups;
    const out = groups.map((g) => ({
        countSuppressed: isSmallCount(g.count),
        countReason: isSmallCount(g.count) ? 'small_count' : null,
        suppressedMetrics: {},
        suppressedDisparities: [],
        impactRatioSuppressed: false,
    }));
    const lines = sliceLines(slice);
    let totalSuppressed = false;
    const labelOf = (i) => keyId(groups[i]?.key ?? {});
    // (c) complementary suppression of counts, to a fixed point.
    for (let changed = true; changed;) {
        changed = false;
        for (const line of lines) {
            const hidden = line.filter((i) => out[i]?.countSuppressed && (groups[i]?.count ?? 0) > 0);
            if (hidden.length !== 1)
                continue;
            const candidates = line
                .filter((i) => !out[i]?.countSuppressed && (groups[i]?.count ?? 0) > 0)
                .sort((a, b) => (groups[a]?.count ?? 0) - (groups[b]?.count ?? 0) || labelOf(a).localeCompare(labelOf(b)));
            const pick = candidates[0];
            const target = pick === undefined ? undefined : out[pick];
            if (target) {
                target.countSuppressed = true;
                target.countReason = 'complementary';
                changed = true;
            }
            else if (line === lines[0]) {
                totalSuppressed = true;
            }
        }
    }
    // Metric keys present anywhere in the slice.
    const metricKeys = new Set();
    for (const g of groups)
        for (const k of Object.keys(g.metrics))
            if (k !== 'count')
                metricKeys.add(k);
    // (a) + (b): per group and metric.
    groups.forEach((g, i) => {
        const s = out[i];
        if (!s)
            return;
        for (const key of metricKeys) {
            if (s.countSuppressed) {
                s.suppressedMetrics[key] = 'count';
                continue;
            }
            if (RATE_SET.has(key) && key !== 'balanced_accuracy' && key !== 'f1') {
                const nd = numDen(g, key);
                if (nd === null)
                    s.suppressedMetrics[key] = 'unknown_denominator';
                else if (smallND(nd))
                    s.suppressedMetrics[key] = 'small_numerator_or_denominator';
            }
        }
        const dependsOn = (key, parts) => {
            if (!metricKeys.has(key) || s.suppressedMetrics[key])
                return;
            const missing = parts.some((p) => !g.metrics[p]);
            if (missing || parts.some((p) => s.suppressedMetrics[p]))
                s.suppressedMetrics[key] = 'depends_on_suppressed';
        };
        dependsOn('balanced_accuracy', ['true_positive_rate', 'true_negative_rate']);
        dependsOn('f1', ['true_positive_rate', 'positive_predictive_value']);
        if (metricKeys.has('roc_auc') && !s.suppressedMetrics.roc_auc) {
            const pos = numDen(g, 'true_positive_rate')?.den ?? numDen(g, 'base_rate')?.num ?? null;
            if (pos === null)
                s.suppressedMetrics.roc_auc = 'unknown_denominator';
            else if (isSmallCount(pos) || isSmallCount(g.count - pos))
                s.suppressedMetrics.roc_auc = 'small_numerator_or_denominator';
        }
    });
    // (c) for rates: numerators add up along the same lines.
    for (const key of metricKeys) {
        if (!RATE_SET.has(key))
            continue;
        for (let changed = true; changed;) {
            changed = false;
            for (const line of lines) {
                // A suppressed cell hides its value even when it is undefined; a shown "—" reveals nothing.
                const hidden = line.filter((i) => out[i]?.suppressedMetrics[key] !== undefined);
                if (hidden.length !== 1)
                    continue;
                const bearing = line.filter((i) => (groups[i]?.metrics[key]?.value ?? null) !== null);
                const denOf = (i) => {
                    const g = groups[i];
                    return g ? (numDen(g, key)?.den ?? g.count) : 0;
                };
                const pick = bearing
                    .filter((i) => !out[i]?.suppressedMetrics[key])
                    .sort((a, b) => denOf(a) - denOf(b) || labelOf(a).localeCompare(labelOf(b)))[0];
                const target = pick === undefined ? undefined : out[pick];
                if (target) {
                    target.suppressedMetrics[key] = 'complementary';
                    changed = true;
                }
            }
        }
    }
    // Disparities.
    const refId = keyId(slice.reference);
    const refIndex = groups.findIndex((g) => keyId(g.key) === refId);
    const topIndex = groups.findIndex((g) => g.disparities.selection_rate?.impactRatio === 1);
    groups.forEach((g, i) => {
        const s = out[i];
        if (!s)
            return;
        for (const key of Object.keys(g.disparities)) {
            const own = s.suppressedMetrics[key] !== undefined;
            const ref = refIndex >= 0 && out[refIndex]?.suppressedMetrics[key] !== undefined;
            if (own || ref)
                s.suppressedDisparities.push(key);
        }
        const top = topIndex >= 0 && out[topIndex]?.suppressedMetrics.selection_rate !== undefined;
        s.impactRatioSuppressed = s.suppressedMetrics.selection_rate !== undefined || top;
    });
    const applied = totalSuppressed || out.some((s) => s.countSuppressed || Object.keys(s.suppressedMetrics).length > 0);
    return { groups: out, applied, totalSuppressed };
}

// ---- chart-specs.ts ----
const SCHEMA = 'https://vega.github.io/schema/vega-lite/v6.json';
const COLORS = { within: '#2e7d32', outside: '#c62828', reference: '#546e7a' };
/** "Prefix: a, b, c" split into lines of at most `max` characters (vega-lite prints one line per entry). */
export function wrapList(prefix, items, max = 90) {
    const lines = [];
    let line = `${prefix}: `;
    items.forEach((item, i) => {
        const piece = `${item}${i < items.length - 1 ? ',' : ''}`;
        if (line.length + piece.length > max && line.trim().length > 0 && !line.endsWith(': ')) {
            lines.push(line.trimEnd());
            line = '  ';
        }
        line += `${piece} `;
    });
    lines.push(line.trimEnd());
    return lines;
}
function baseConfig() {
    return {
        font: 'sans-serif',
        view: { stroke: null },
        axis: { labelFontSize: 9, titleFontSize: 10, labelLimit: 180 },
        legend: { labelFontSize: 9, titleFontSize: 9, orient: 'bottom' },
        title: { fontSize: 11, subtitleFontSize: 9, anchor: 'start' },
    };
}
/**
 * Each group's ratio to the reference (dot, with its interval as a line), the fairness band as a shaded
 * rectangle and a rule at 1. Horizontal: one row per group.
 */
export function disparityChartSpec(slice, metric = 'selection_rate', band = [0.8, 1.25]) {
    const shown = slice.groups.filter((g) => !g.suppressed && g.ratio !== null && Number.isFinite(g.ratio));
    const hidden = slice.groups.filter((g) => g.suppressed).map((g) => g.group);
    const undefinedRatio = slice.groups.filter((g) => !g.suppressed && (g.ratio === null || !Number.isFinite(g.ratio)));
    const values = shown.map((g) => {
        const ratio = g.ratio ?? 0;
        const status = g.reference ? 'Reference' : ratio >= band[0] && ratio <= band[1] ? 'Within band' : 'Outside band';
        return {
            group: g.group,
            ratio,
            ciLow: g.ciLow ?? ratio,
            ciHigh: g.ciHigh ?? ratio,
            status,
        };
    });
    const lows = values.map((v) => Math.min(v.ratio, v.ciLow));
    const highs = values.map((v) => Math.max(v.ratio, v.ciHigh));
    const lo = Math.max(0, Math.min(band[0] - 0.1, ...lows));
    const hi = Math.min(Math.max(band[1] + 0.1, ...highs), 5);
    const domain = [Math.floor(lo * 10) / 10, Math.ceil(hi * 10) / 10];
    const subtitle = [`Shaded: fairness band ${band[0]}–${band[1]}; line at 1 = parity with the reference`];
    if (hidden.length > 0)
        subtitle.push(...wrapList('Not shown (small-cell suppression)', hidden));
    if (undefinedRatio.length > 0)
        subtitle.push(...wrapList('Not shown (undefined ratio)', undefinedRatio.map((g) => g.group)));
    const groupOrder = values.map((v) => v.group);
    const y = { field: 'group', type: 'nominal', sort: groupOrder, title: null, axis: { labelLimit: 180 } };
    return {
        $schema: SCHEMA,
        title: { text: `${metricLabel(metric)} ratio vs reference: ${slice.title}`, subtitle },
        width: 380,
        height: Math.max(40, 20 * values.length),
        config: baseConfig(),
        data: { values },
        layer: [
            {
                data: { values: [{ lo: band[0], hi: band[1] }] },
                mark: { type: 'rect', color: '#e8f5e9', opacity: 0.9 },
                encoding: {
                    x: { field: 'lo', type: 'quantitative', scale: { domain, nice: false, zero: false }, title: 'Ratio to reference' },
                    x2: { field: 'hi' },
                },
            },
            {
                data: { values: [{ one: 1 }] },
                mark: { type: 'rule', color: '#424242', strokeDash: [4, 3] },
                encoding: { x: { field: 'one', type: 'quantitative' } },
            },
            {
                mark: { type: 'rule', strokeWidth: 1.5 },
                encoding: {
                    y,
                    x: { field: 'ciLow', type: 'quantitative' },
                    x2: { field: 'ciHigh' },
                    color: {
                        field: 'status',
                        type: 'nominal',
                        scale: { domain: ['Within band', 'Outside band', 'Reference'], range: [COLORS.within, COLORS.outside, COLORS.reference] },
                        legend: null,
                    },
                },
            },
            {
                mark: { type: 'point', filled: true, size: 50 },
                encoding: {
                    y,
                    x: { field: 'ratio', type: 'quantitative' },
                    color: {
                        field: 'status',
                        type: 'nominal',
                        title: null,
                        scale: { domain: ['Within band', 'Outside band', 'Reference'], range: [COLORS.within, COLORS.outside, COLORS.reference] },
                    },
                    shape: {
                        field: 'status',
                        type: 'nominal',
                        title: null,
                        scale: { domain: ['Within band', 'Outside band', 'Reference'], range: ['circle', 'triangle-down', 'square'] },
                    },
                },
            },
        ],
    };
}
/**
 * One line per group over audits. The x axis is the audit date (`timeUnit: 'yearmonthdate'`) when every
 * audit falls on its own day, else the audit's position ("Audit 1", "Audit 2", ...).
 */
export function timelineChartSpec(points, metric, options = {}) {
    const audits = [];
    const dayOf = new Map();
    for (const p of points) {
        if (!dayOf.has(p.auditId)) {
            audits.push(p.auditId);
            dayOf.set(p.auditId, p.at.slice(0, 10));
        }
    }
    const days = new Set(dayOf.values());
    const byDate = days.size === audits.length;
    const values = points
        .filter((p) => p.value !== null && Number.isFinite(p.value))
        .map((p) => ({
        at: p.at.slice(0, 10),
        audit: `Audit ${audits.indexOf(p.auditId) + 1}`,
        auditIndex: audits.indexOf(p.auditId) + 1,
        group: p.group,
        value: p.value,
    }));
    const x = byDate
        ? { field: 'at', type: 'temporal', timeUnit: 'yearmonthdate', title: 'Audit date', axis: { format: '%d %b %Y', labelAngle: -30, labelOverlap: true } }
        : { field: 'audit', type: 'ordinal', sort: { field: 'auditIndex' }, title: 'Audit', axis: { labelAngle: -30 } };
    const subtitle = [];
    if (options.band)
        subtitle.push(`Shaded: fairness band ${options.band[0]}–${options.band[1]}`);
    if (options.omittedGroups && options.omittedGroups.length > 0) {
        subtitle.push(...wrapList('Not shown (small-cell suppression)', options.omittedGroups));
    }
    const lineLayer = {
        data: { values },
        mark: { type: 'line', point: { filled: true, size: 25 }, strokeWidth: 1.5 },
        encoding: {
            x,
            y: { field: 'value', type: 'quantitative', title: metricLabel(metric), scale: { zero: false } },
            color: { field: 'group', type: 'nominal', title: null, scale: { scheme: 'tableau10' } },
        },
    };
    const layers = [];
    if (options.band) {
        layers.push({
            data: { values: [{ lo: options.band[0], hi: options.band[1] }] },
            mark: { type: 'rect', color: '#e8f5e9', opacity: 0.9 },
            encoding: { y: { field: 'lo', type: 'quantitative' }, y2: { field: 'hi' } },
        });
    }
    layers.push(lineLayer);
    return {
        $schema: SCHEMA,
        title: { text: options.title ?? `${metricLabel(metric)} across audits`, ...(subtitle.length > 0 ? { subtitle } : {}) },
        width: 400,
        height: 150,
        config: baseConfig(),
        layer: layers,
    };
}
