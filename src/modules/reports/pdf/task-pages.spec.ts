import { writeFileSync } from 'node:fs';
import { buildReportViewModel } from '../../../core/reports';
import { sampleMulticlassInput, sampleRegressionInput } from '../../../../test/support/task-report-fixture';
import { pdfLines } from '../../../../test/support/pdf';
import { renderReportPdf } from './render-report-pdf';

describe('task pages of the PDF report', () => {
  it('renders a regression report', async () => {
    const vm = buildReportViewModel(sampleRegressionInput());
    const pdf = await renderReportPdf(vm);
    if (process.env.TASK_PDF_DIR) writeFileSync(`${process.env.TASK_PDF_DIR}/regression.pdf`, pdf);
    const { text } = await pdfLines(pdf);
    expect(text).toContain('Deciles of prediction');
  });
  it('renders a multiclass report', async () => {
    const vm = buildReportViewModel(sampleMulticlassInput());
    const pdf = await renderReportPdf(vm);
    if (process.env.TASK_PDF_DIR) writeFileSync(`${process.env.TASK_PDF_DIR}/multiclass.pdf`, pdf);
    const { text } = await pdfLines(pdf);
    expect(text).toContain('one-vs-rest');
  });
});
