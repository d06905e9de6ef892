// Prints the plain closing line CI reads: "N passed, N failed", after jest's own summary (at process exit).
module.exports = class PlainSummaryReporter {
  onRunComplete(_contexts, r) {
    const skipped = r.numPendingTests ? `, ${r.numPendingTests} skipped` : '';
    const line = `${r.numPassedTests} passed, ${r.numFailedTests} failed${skipped}\n`;
    process.once('exit', () => process.stderr.write(line));
  }
};
