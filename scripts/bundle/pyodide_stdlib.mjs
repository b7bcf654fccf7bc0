// Runs the pinned npm Pyodide under Node (with its full standard library) for
// scripts/bundle/pyodide_stdlib.py, which builds the trimmed standard library zip the site ships.
//
//   node scripts/bundle/pyodide_stdlib.mjs trace <calculator.whl> <module> [module ...]
//     unpacks the wheel as the browser worker does, imports the modules, and prints the zip entries
//     of every module Python has loaded by then (JSON list): what the calculator really needs.
//   node scripts/bundle/pyodide_stdlib.mjs strip <zip entry> [entry ...]
//     prints {entry: source without docstrings or comments, or null}, made by Python 3.14's own
//     ast (the version that runs it): kept only where its syntax tree equals the original's minus
//     docstrings.
import { readFileSync } from "node:fs";
import { dirname } from "node:path";
import { createRequire } from "node:module";
import { pathToFileURL } from "node:url";

const [mode, ...args] = process.argv.slice(2);
if (!["trace", "strip"].includes(mode) || args.length < (mode === "trace" ? 2 : 1)) {
  console.error("usage: node scripts/bundle/pyodide_stdlib.mjs trace <calculator.whl> <module>... | strip <entry>...");
  process.exit(2);
}
const require = createRequire(import.meta.url);
const pyodideDir = dirname(require.resolve("pyodide/package.json"));
const { loadPyodide } = await import(pathToFileURL(`${pyodideDir}/pyodide.mjs`).href);
const pyodide = await loadPyodide({ indexURL: pyodideDir + "/", stdout: () => {}, stderr: (s) => console.error(s) });

const TRACE = String.raw`
import importlib, json, sys
for name in args:
    importlib.import_module(name)
prefix = "/lib/python%d%d.zip/" % sys.version_info[:2]
json.dumps(sorted({m.__spec__.origin[len(prefix):] for m in list(sys.modules.values())
                   if (getattr(getattr(m, "__spec__", None), "origin", None) or "").startswith(prefix)}))
`;

const STRIP = String.raw`
import ast, json, sys, zipfile

def without_docstrings(tree):
    for node in ast.walk(tree):
        body = getattr(node, "body", None)
        if isinstance(node, (ast.Module, ast.ClassDef, ast.FunctionDef, ast.AsyncFunctionDef)) and body \
                and isinstance(body[0], ast.Expr) and isinstance(body[0].value, ast.Constant) \
                and isinstance(body[0].value.value, str):
            node.body = body[1:] or [ast.Pass()]
    return tree

out = {}
with zipfile.ZipFile("/lib/python%d%d.zip" % sys.version_info[:2]) as z:
    for name in args:
        out[name] = None
        try:
            source = z.read(name).decode("utf-8")
            expected = ast.dump(without_docstrings(ast.parse(source)))
            text = ast.unparse(without_docstrings(ast.parse(source))) + "\n"
            if ast.dump(ast.parse(text)) == expected and len(text) < len(source):
                out[name] = text
        except (KeyError, SyntaxError, ValueError, RecursionError, UnicodeDecodeError):
            pass
json.dumps(out)
`;

let names = args;
if (mode === "trace") {
  pyodide.unpackArchive(new Uint8Array(readFileSync(args[0])), "wheel");
  names = args.slice(1);
}
pyodide.globals.set("args", pyodide.toPy(names));
process.stdout.write(pyodide.runPython(mode === "trace" ? TRACE : STRIP));
