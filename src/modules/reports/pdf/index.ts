export { renderReportPdf, warmUpReportPdf } from './render-report-pdf';
export { chartToSvg, loadVega } from './vega-charts';
