/**
 * A @web/test-runner reporter that writes `{passed, failed, skipped}` for the whole run to the
 * JSON file named by the WTR_COUNTS_FILE environment variable (test/run-all.js reads it).
 * It prints nothing: the other reporters do that.
 */
import { writeFileSync } from 'node:fs';

/** Adds the tests of one suite and of all its nested suites to `counts`. */
function countSuite(suite, counts) {
  for (const test of suite.tests ?? []) {
    if (test.skipped) counts.skipped += 1;
    else if (test.passed) counts.passed += 1;
    else counts.failed += 1;
  }
  for (const child of suite.suites ?? []) countSuite(child, counts);
}

/** Counts every test of every session; a failed session with no failed test counts as 1 failed. */
export function countSessions(sessions) {
  const total = { passed: 0, failed: 0, skipped: 0 };
  for (const session of sessions) {
    const counts = { passed: 0, failed: 0, skipped: 0 };
    if (session.testResults) countSuite(session.testResults, counts);
    // A file that failed to load, an error in a hook or an uncaught error outside any test fails
    // the session without failing a test: it must still show up as a failure.
    if (session.passed === false && counts.failed === 0) counts.failed = 1;
    total.passed += counts.passed;
    total.failed += counts.failed;
    total.skipped += counts.skipped;
  }
  return total;
}

/** The reporter; `file` defaults to the WTR_COUNTS_FILE environment variable. */
export function countsReporter({ file = process.env.WTR_COUNTS_FILE } = {}) {
  return {
    onTestRunFinished({ sessions }) {
      if (file) writeFileSync(file, JSON.stringify(countSessions(sessions)) + '\n');
    },
  };
}
