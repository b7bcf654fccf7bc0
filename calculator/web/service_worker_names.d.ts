// For the type check of service_worker.js only (tsconfig.sw.json): the lists the build writes in
// place of these names (scripts/bundle/calculator_assets.py, write_service_worker): site paths.
declare const __SHELL__: string[];
declare const __CALCULATOR__: string[];
declare const __CALCULATOR_PAGES__: string[];
