// Runs the pinned npm Pyodide under Node (with its full standard library) for
// scripts/bundle/pyodide_stdlib.py, which builds the trimmed standard library zip the site ships.
//
//   node scripts/bundle/pyodide_stdlib.mjs trace <calculator.whl> <module> [module ...]
//     unpacks the wheel as the browser worker does, imports the modules, and prints the zip entries
//     of every module Python has loaded by then (JSON list): what the calculator really needs.
//   node scripts/bundle/pyodide_stdlib.mjs compile <entry.py> [entry ...]
//     prints {entry: base64 of its .pyc}: compiled by Pyodide's own Python (so the magic number
//     is the browser's), as the import system would compile it from the zip, with the same file
//     name, but without docstrings, without column ranges (PYTHONNODEBUGRANGES), and with each
//     function's, class's or module's code placed on its first line (`def`, `class`, line 1): a
//     traceback through the standard library names the file and function, and the line it gives
//     is where that function starts. Line numbers inside functions were a sizeable part of the
//     compressed zip (ARCHITECTURE.md, D3).
import { readFileSync } from "node:fs";
import { dirname } from "node:path";
import { createRequire } from "node:module";
import { pathToFileURL } from "node:url";

const [mode, ...args] = process.argv.slice(2);
if (!["trace", "compile"].includes(mode) || args.length < (mode === "trace" ? 2 : 1)) {
  console.error("usage: node scripts/bundle/pyodide_stdlib.mjs trace <calculator.whl> <module>... | compile <entry>...");
  process.exit(2);
}
const require = createRequire(import.meta.url);
const pyodideDir = dirname(require.resolve("pyodide/package.json"));
const { loadPyodide } = await import(pathToFileURL(`${pyodideDir}/pyodide.mjs`).href);
const options = { indexURL: pyodideDir + "/", stdout: () => {}, stderr: (s) => console.error(s) };
if (mode === "compile") options.env = { HOME: "/home/pyodide", PYTHONNODEBUGRANGES: "1" };
const pyodide = await loadPyodide(options);

const TRACE = String.raw`
import importlib, json, sys
for name in args:
    importlib.import_module(name)
prefix = "/lib/python%d%d.zip/" % sys.version_info[:2]
json.dumps(sorted({m.__spec__.origin[len(prefix):] for m in list(sys.modules.values())
                   if (getattr(getattr(m, "__spec__", None), "origin", None) or "").startswith(prefix)}))
`;

const COMPILE = String.raw`
import ast, base64, importlib.util, json, marshal, sys, zipfile

assert all(column is None for *_, column in compile("x", "", "eval").co_positions()), \
    "PYTHONNODEBUGRANGES was not applied"
CODE = type(compile("", "", "exec"))

def without_docstrings(tree):
    for node in ast.walk(tree):
        body = getattr(node, "body", None)
        if isinstance(node, (ast.Module, ast.ClassDef, ast.FunctionDef, ast.AsyncFunctionDef)) and body \
                and isinstance(body[0], ast.Expr) and isinstance(body[0].value, ast.Constant) \
                and isinstance(body[0].value.value, str):
            node.body = body[1:] or [ast.copy_location(ast.Pass(), body[0])]
    return tree

def on_first_line(code):
    # the location table (Objects/locations.md): entries of up to 8 code units, each "code 13, no
    # columns" with a line delta of 0 from co_firstlineno, for this code and the code it holds
    units, table = len(code.co_code) // 2, bytearray()
    while units > 0:
        n = min(units, 8)
        table += bytes([0x80 | 13 << 3 | n - 1, 0])
        units -= n
    consts = tuple(on_first_line(c) if isinstance(c, CODE) else c for c in code.co_consts)
    return code.replace(co_linetable=bytes(table), co_consts=consts)

zip_path = "/lib/python%d%d.zip" % sys.version_info[:2]
out = {}
with zipfile.ZipFile(zip_path) as z:
    for name in args:
        filename = f"{zip_path}/{name}"
        tree = without_docstrings(ast.parse(z.read(name), filename))
        code = on_first_line(compile(tree, filename, "exec", dont_inherit=True, optimize=0))
        # a timestamp .pyc with no source beside it: the import system loads it as it is
        pyc = importlib.util.MAGIC_NUMBER + bytes(12) + marshal.dumps(code)
        out[name] = base64.b64encode(pyc).decode("ascii")
json.dumps(out)
`;

if (mode === "trace") {
  pyodide.unpackArchive(new Uint8Array(readFileSync(args[0])), "wheel");
}
pyodide.globals.set("args", pyodide.toPy(mode === "trace" ? args.slice(1) : args));
process.stdout.write(pyodide.runPython(mode === "trace" ? TRACE : COMPILE));
