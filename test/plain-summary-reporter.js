// Prints the plain closing line CI reads: "N passed, N failed".
module.exports = class PlainSummaryReporter {
  onRunComplete(_contexts, r) {
    const skipped = r.numPendingTests ? `, ${r.numPendingTests} skipped` : '';
    process.stdout.write(`\n${r.numPassedTests} passed, ${r.numFailedTests} failed${skipped}\n`);
  }
};
