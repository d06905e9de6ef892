import type * as Renderer from './render-report-pdf';
import type { ReportViewModel } from '../../../core/reports';

let renderer: typeof Renderer | undefined;

/**
 * The PDF renderer with pdfkit and fontkit, loaded on first use rather than at start-up, where they were
 * ~0.2 s of a restart's CPU time before the service could answer.
 */
function load(): typeof Renderer {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  renderer ??= require('./render-report-pdf') as typeof Renderer;
  return renderer;
}

export function renderReportPdf(vm: ReportViewModel): Promise<Buffer> {
  return load().renderReportPdf(vm);
}

/** Loads the renderer and its fonts and shapes common wording, so that the first report is not slower. */
export function warmUpReportPdf(): void {
  load().warmUpReportPdf();
}
