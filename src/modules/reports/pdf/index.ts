export { renderReportPdf, warmUpReportPdf } from './render-report-pdf';
