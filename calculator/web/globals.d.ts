// Globals the browser code shares with others, for the type check only (tsconfig.json): nothing
// here is bundled or served.

interface Window {
  /** app.js, on the calculator page with ?test=1 only: the parity test's way in */
  __subsidyCalculatorTest?: Readonly<{ evaluateMany: (requests: string[]) => Promise<unknown> }>;
}

// Material's storage helpers, which docs/assets/js/material-scope.js defines as Material's inline
// head script would (Material's bundle reads them)
declare var __md_scope: URL;
declare var __md_hash: (text: string) => number;
declare var __md_get: (key: string, storage?: Storage, scope?: URL) => any;
declare var __md_set: (key: string, value: unknown, storage?: Storage, scope?: URL) => void;
